"""Morning renders: ranked stories with cited claims in Markdown and e-mail HTML, escaping, and the JSON round trip.

The fixture is a small but realistic morning: a fire covered by three outlets (a casualty figure they disagree on,
a cause one of them contradicts), a rate rise carried by wire copy that two outlets ran, a single-article story, a
source that failed, and a model whose price is unknown.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefer._models import (
    Actor,
    ActorKind,
    ArticleEntry,
    Briefing,
    CitedQuote,
    DropReason,
    FailedSource,
    Generation,
    GroundingReport,
    MorningBriefing,
    NumberConflict,
    OpenQuestion,
    QuoteSpan,
    RunSummary,
    Source,
    Stance,
    Story,
    StoryClaim,
)
from briefer._render.files import save_morning, text_slices
from briefer._render.morning import (
    render_morning,
    render_morning_html,
    render_morning_json,
    render_morning_markdown,
)
from briefer._render.pieces import json_pieces, squeezed

TEXTS = {
    "A1": (
        "A fire broke out at the Delmar chemical plant on Monday night. Twelve people were treated in hospital, "
        "the fire chief said. A gas leak in the boiler room started the blaze, according to the plant's owner."
    ),
    "A2": (
        "Firefighters fought a blaze at the Delmar chemical plant until dawn. Seventeen people were hurt, the "
        "county health office said on Tuesday."
    ),
    "A3": (
        "The Delmar plant fire is under investigation. Investigators have not yet determined what caused the fire, "
        "a state fire marshal said. Residents were told to keep windows closed."
    ),
    "A4": (
        "Norland's central bank raised its main interest rate to 4.5% on Tuesday, the third rise this year. "
        "Governor Ilse Marr said inflation was still too high."
    ),
    "A5": (
        "Mortgage holders in the valley face higher payments after the central bank lifted its rate to 4.5%. "
        "Local lenders said they would pass the rise on within a month."
    ),
    "A6": (
        "The city council voted 7-2 to back a $40 million loan for the new stadium. Opponents said the vote was "
        "rushed and the costs were unclear."
    ),
}

OUTLETS = {"A1": "Courier", "A2": "Valley Post", "A3": "Northern Times", "A4": "Metro Wire", "A5": "Courier"}
OUTLETS["A6"] = "Valley Post"
TITLES = {
    "A1": "Fire at Delmar plant",
    "A2": "Seventeen hurt in Delmar fire",
    "A3": "Delmar fire cause unknown, marshal says",
    "A4": "Norland raises rates again",
    "A5": "What the rate rise means for your mortgage",
    "A6": "Council backs stadium loan",
}
WIRE_COPY = Source(
    title="Norland raises rates again",
    outlet="Harbor Herald",
    url="https://harbor-herald.example/business/rates",
)


def cited(article: str, quote: str, outlet: str | None = None) -> CitedQuote:
    start = TEXTS[article].index(quote)
    return CitedQuote(
        article=article,
        outlet=outlet or OUTLETS[article],
        evidence=quote,
        span=QuoteSpan(start=start, end=start + len(quote)),
    )


def wire(quote: str) -> list[CitedQuote]:
    """A quote from the wire article is credited to every outlet that ran it, as the pipeline does."""
    return [cited("A4", quote), cited("A4", quote, "Harbor Herald")]


def entry(article: str, also: list[Source] | None = None) -> ArticleEntry:
    source = Source(
        title=TITLES[article],
        outlet=OUTLETS[article],
        published="2026-11-24T07:00:00+00:00",
        url=f"https://{OUTLETS[article].lower().replace(' ', '-')}.example/{article.lower()}",
    )
    return ArticleEntry(
        id=article,
        content_hash=f"hash-{article}",
        source=source,
        also_published_by=also or [],
        briefing=Briefing(
            headline=TITLES[article],
            summary=TEXTS[article].split(". ")[0] + ".",
            key_claims=[],
            actors=[],
            open_questions=[],
            source=source,
            generation=Generation(
                model="local-model",
                endpoint="http://127.0.0.1:8080/v1",
                prompt_name="brief",
                prompt_version="3",
                output_mode="json_schema",
            ),
            grounding=GroundingReport(),
        ),
    )


def agreement(supports: list[str], contradicts: list[str], outlets: list[str]) -> dict[str, Stance]:
    table = dict.fromkeys(outlets, Stance.NOT_MENTIONED)
    table.update(dict.fromkeys(contradicts, Stance.CONTRADICTS))
    table.update(dict.fromkeys(supports, Stance.SUPPORTS))
    return table


FIRE_OUTLETS = ["Courier", "Valley Post", "Northern Times"]
RATE_OUTLETS = ["Metro Wire", "Harbor Herald", "Courier"]


@pytest.fixture
def briefing() -> MorningBriefing:
    fire = Story(
        id="S1",
        headline="Fire at Delmar chemical plant injures at least twelve",
        what_happened=(
            "A fire broke out at the Delmar chemical plant on Monday night and burned until dawn. "
            "Outlets disagree on how many people were hurt, and on whether the cause is known."
        ),
        claims=[
            StoryClaim(
                statement="A fire broke out at the Delmar chemical plant.",
                evidence=[
                    cited("A1", "A fire broke out at the Delmar chemical plant on Monday night"),
                    cited("A2", "Firefighters fought a blaze at the Delmar chemical plant until dawn"),
                    cited("A3", "The Delmar plant fire is under investigation"),
                ],
                agreement=agreement(FIRE_OUTLETS, [], FIRE_OUTLETS),
            ),
            StoryClaim(
                statement="A gas leak in the boiler room started the fire.",
                evidence=[cited("A1", "A gas leak in the boiler room started the blaze")],
                contradicted_by=[cited("A3", "Investigators have not yet determined what caused the fire")],
                agreement=agreement(["Courier"], ["Northern Times"], FIRE_OUTLETS),
            ),
            StoryClaim(
                statement="Residents near the plant were told to keep their windows closed.",
                evidence=[cited("A3", "Residents were told to keep windows closed")],
                agreement=agreement(["Northern Times"], [], FIRE_OUTLETS),
            ),
        ],
        conflicts=[
            NumberConflict(
                what="People hurt",
                values=[
                    cited("A1", "Twelve people were treated in hospital"),
                    cited("A2", "Seventeen people were hurt"),
                ],
            )
        ],
        actors=[
            Actor(name="Delmar fire department", kind=ActorKind.GOVERNMENT_BODY, stance="Fought the fire."),
            Actor(name="State fire marshal", kind=ActorKind.PERSON, role="fire marshal", stance="Investigating."),
        ],
        open_questions=[
            OpenQuestion(question="What caused the fire?", why_it_matters="Liability and plant safety."),
        ],
        articles=["A1", "A2", "A3"],
        outlets=FIRE_OUTLETS,
        importance=7.8,
        importance_reasons=[
            "3 independent reports from 3 outlets",
            "latest report 1 h before the newest article (+0.8)",
            "new since the previous briefing (+1)",
        ],
        grounding=GroundingReport(
            proposed=4, published=3, repaired=1, dropped=1, dropped_by_reason={DropReason.UNSUPPORTED: 1}
        ),
    )
    rates = Story(
        id="S2",
        headline="Norland central bank lifts its rate to 4.5%",
        what_happened="Norland's central bank raised its main rate to 4.5%, its third rise this year.",
        claims=[
            StoryClaim(
                statement="The central bank raised its main interest rate to 4.5%.",
                evidence=[
                    *wire("raised its main interest rate to 4.5% on Tuesday"),
                    cited("A5", "the central bank lifted its rate to 4.5%"),
                ],
                agreement=agreement(RATE_OUTLETS, [], RATE_OUTLETS),
            ),
            StoryClaim(
                statement="Local lenders will pass the rise on to borrowers within a month.",
                evidence=[cited("A5", "Local lenders said they would pass the rise on within a month")],
                agreement=agreement(["Courier"], [], RATE_OUTLETS),
            ),
        ],
        articles=["A4", "A5"],
        outlets=RATE_OUTLETS,
        importance=5.5,
        importance_reasons=["2 independent reports from 3 outlets", "new since the previous briefing (+1)"],
        grounding=GroundingReport(proposed=2, published=2),
    )
    stadium = Story(
        id="S3",
        headline="Council backs $40 million stadium loan",
        what_happened="The city council voted 7-2 to back a $40 million loan for the new stadium.",
        claims=[
            StoryClaim(
                statement="The council voted 7-2 for the loan.",
                evidence=[cited("A6", "The city council voted 7-2 to back a $40 million loan")],
                agreement={"Valley Post": Stance.SUPPORTS},
            )
        ],
        open_questions=[OpenQuestion(question="What will the stadium cost?", why_it_matters="Opponents ask.")],
        articles=["A6"],
        outlets=["Valley Post"],
        importance=2.0,
        importance_reasons=["1 independent report from 1 outlets"],
        new_since_previous=False,
        grounding=GroundingReport(proposed=1, published=1),
    )
    return MorningBriefing(
        generated_at="2026-11-25T06:00:00+00:00",
        since="2026-11-24T06:00:00+00:00",
        model="local-model",
        endpoint="http://127.0.0.1:8080/v1",
        prompt_version="synthesize_story@2",
        stories=[fire, rates, stadium],
        articles=[
            entry("A1"),
            entry("A2"),
            entry("A3"),
            entry("A4", also=[WIRE_COPY]),
            entry("A5"),
            entry("A6"),
        ],
        failed_sources=[FailedSource(source="https://gazette.example/feed.xml", error="answered 503")],
        summary=RunSummary(
            sources=6,
            articles_new=5,
            articles_cached=1,
            duplicates=1,
            failed=1,
            skipped=0,
            stories=3,
            llm_calls=9,
            prompt_tokens=23456,
            completion_tokens=3456,
            estimated_cost_usd=None,
            seconds=84.3,
        ),
    )


EVIL = '<script>alert(1)</script>" onmouseover="alert(2)'


@pytest.fixture
def evil(briefing: MorningBriefing) -> MorningBriefing:
    """Hostile text everywhere an article or the model can put text, and a javascript: URL."""
    fire = briefing.stories[0]
    claim = fire.claims[1]
    evil_claim = claim.model_copy(
        update={
            "statement": EVIL,
            "evidence": [claim.evidence[0].model_copy(update={"evidence": EVIL, "outlet": EVIL})],
            "agreement": {**claim.agreement, EVIL: Stance.SUPPORTS},
        }
    )
    story = fire.model_copy(
        update={
            "headline": EVIL,
            "what_happened": EVIL,
            "claims": [fire.claims[0], evil_claim],
            "outlets": [*fire.outlets, EVIL],
            "conflicts": [
                NumberConflict(
                    what=EVIL, values=[c.model_copy(update={"evidence": EVIL}) for c in fire.conflicts[0].values]
                )
            ],
            "actors": [Actor(name=EVIL, kind=ActorKind.PERSON, role=EVIL, stance=EVIL)],
            "open_questions": [OpenQuestion(question=EVIL, why_it_matters=EVIL)],
            "importance_reasons": [EVIL],
        }
    )
    first = briefing.articles[0]
    hostile = first.model_copy(
        update={
            "source": first.source.model_copy(update={"title": EVIL, "outlet": EVIL, "url": "javascript:alert(3)"}),
            "also_published_by": [Source(outlet=EVIL, url=" JavaScript:alert(4)")],
        }
    )
    return briefing.model_copy(
        update={
            "stories": [story, *briefing.stories[1:]],
            "articles": [hostile, *briefing.articles[1:]],
            "failed_sources": [FailedSource(source="javascript:alert(5)", error=EVIL)],
            "model": EVIL,
        }
    )


class _Page(HTMLParser):
    """Collects tags and attributes and checks that every element is closed in order."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input", "col", "area", "base", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert not parser.stack, f"unclosed: {parser.stack}"
    return parser


def text_of(page: str) -> str:
    return " ".join("".join(parse(page).text).split())


def fragment_text(fragment: str) -> str:
    """The text of a piece of a page (which need not be a whole element)."""
    parser = _Page()
    parser.feed(fragment)
    return " ".join("".join(parser.text).split())


def section(markdown: str, start: str, end: str) -> str:
    return markdown.split(start, 1)[1].split(end, 1)[0]


# --- Markdown ------------------------------------------------------------------------------------------


def test_markdown_title_summary_and_story_order(briefing: MorningBriefing) -> None:
    markdown = render_morning_markdown(briefing)
    assert markdown.startswith("# Morning briefing — Wednesday 25 November 2026\n")
    summary = markdown.splitlines()[2]
    assert summary.startswith("*3 stories from 6 articles by 5 outlets since 2026-11-24 06:00 UTC")
    assert "1 source could not be read" in summary
    headings = re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)
    assert headings == [
        "1. Fire at Delmar chemical plant injures at least twelve",
        "2. Norland central bank lifts its rate to 4.5%",
        "3. Council backs $40 million stadium loan",
        "Sources",
        "Could not be read",
        "Run",
    ]
    assert "*Courier · Valley Post · Northern Times* — **new**" in markdown
    assert "*Valley Post* — **continuing**" in markdown
    assert (
        "Importance 7.8: 3 independent reports from 3 outlets; latest report 1 h before the newest article (+0.8); "
        "new since the previous briefing (+1)"
    ) in markdown


def test_markdown_cites_every_quote_with_outlet_and_article(briefing: MorningBriefing) -> None:
    markdown = render_morning_markdown(briefing)
    for story in briefing.stories:
        for claim in story.claims:
            assert f"**{claim.statement}**" in markdown
            for quote in [*claim.evidence, *claim.contradicted_by]:
                assert f" {quote.evidence}" in markdown
    assert "   > — Courier [A1]" in markdown
    # contradicting evidence is marked as such
    assert "   Contradicted by:\n\n   > ✘ Investigators have not yet determined what caused the fire" in markdown
    # the wire quote is shown once, credited to both outlets that ran it
    wire_quote = "> raised its main interest rate to 4.5% on Tuesday"
    assert markdown.count(wire_quote) == 1
    assert f"{wire_quote}  \n   > — Metro Wire, Harbor Herald [A4]" in markdown


def test_markdown_agreement_table(briefing: MorningBriefing) -> None:
    markdown = render_morning_markdown(briefing)
    fire = section(markdown, "## 1.", "## 2.")
    assert "| Claim | Courier | Valley Post | Northern Times |\n|---|:-:|:-:|:-:|" in fire
    assert "| 1. A fire broke out at the Delmar chemical plant. | ✔ | ✔ | ✔ |" in fire
    assert "| 2. A gas leak in the boiler room started the fire. | ✔ | – | ✘ |" in fire
    assert "| 3. Residents near the plant were told to keep their windows closed. | – | – | ✔ |" in fire
    rates = section(markdown, "## 2.", "## 3.")
    assert "| Claim | Metro Wire | Harbor Herald | Courier |\n" in rates
    assert "| 2. Local lenders will pass the rise on to borrowers within a month. | – | – | ✔ |" in rates
    single = section(markdown, "## 3.", "## Sources")
    assert "| Claim |" not in single and "*Only Valley Post reported this story" in single


def test_markdown_table_survives_pipes_and_newlines(briefing: MorningBriefing) -> None:
    story = briefing.stories[0]
    claim = story.claims[0].model_copy(update={"statement": "Two | three\nlines"})
    odd = briefing.model_copy(update={"stories": [story.model_copy(update={"claims": [claim]})]})
    assert "| 1. Two \\| three lines | ✔ | ✔ | ✔ |" in render_morning_markdown(odd)


def test_markdown_conflicts_sources_failures_and_run(briefing: MorningBriefing) -> None:
    markdown = render_morning_markdown(briefing)
    fire = section(markdown, "## 1.", "## 2.")
    assert (
        "### Figures that differ\n\n- **People hurt**: Courier [A1] “Twelve people were treated in hospital”; "
        "Valley Post [A2] “Seventeen people were hurt”"
    ) in fire
    assert "- **State fire marshal**, fire marshal (person): Investigating." in fire
    assert "- What caused the fire? *Liability and plant safety.*" in fire
    assert (
        "*Grounding: 3 of 4 proposed claims published (1 after a re-ask); "
        "1 dropped (1 not supported by the cited sentences)." in fire
    )
    assert "Figures that differ" not in section(markdown, "## 2.", "## Sources")
    sources = section(markdown, "## Sources", "## Could not be read")
    for article in briefing.articles:
        assert f"**[{article.id}]** {article.source.outlet}: *{article.source.title}*" in sources
    assert "<https://metro-wire.example/a4>" in sources
    assert (
        "<https://metro-wire.example/a4>; also published by Harbor Herald <https://harbor-herald.example/business/rates>"
        in sources
    )
    assert "- `https://gazette.example/feed.xml`: answered 503" in markdown
    run = markdown.split("## Run", 1)[1]
    assert "- Sources: 6" in run
    assert "- Articles: 5 new, 1 cached, 1 duplicate, 1 failed, 0 skipped" in run
    assert "- Stories: 3" in run
    assert "- LLM calls: 9 · tokens: 23,456 prompt + 3,456 completion" in run
    assert "- Estimated cost: unknown" in run and "$0" not in run
    assert "- Wall time: 1 min 24 s" in run
    assert "- Model: local-model at http://127.0.0.1:8080/v1 · prompt version synthesize_story@2" in run
    assert "- Generated 2026-11-25 06:00 UTC · new since 2026-11-24 06:00 UTC" in run


def test_known_cost_is_printed(briefing: MorningBriefing) -> None:
    priced = briefing.model_copy(update={"summary": briefing.summary.model_copy(update={"estimated_cost_usd": 0.0123})})
    assert "- Estimated cost: $0.0123" in render_morning_markdown(priced)
    assert "estimated cost $0.0123" in text_of(render_morning_html(priced))


def test_markdown_never_links_a_javascript_url(evil: MorningBriefing) -> None:
    markdown = render_morning_markdown(evil)
    assert "<javascript:" not in markdown.lower() and "](javascript" not in markdown.lower()
    assert "`javascript:alert(3)`" in markdown


def test_empty_morning(briefing: MorningBriefing) -> None:
    empty = briefing.model_copy(update={"stories": [], "articles": [], "failed_sources": []})
    assert "*No stories this morning.*" in render_morning_markdown(empty)
    assert "No stories this morning." in text_of(render_morning_html(empty))


# --- HTML ----------------------------------------------------------------------------------------------


def test_html_is_well_formed_and_self_contained(briefing: MorningBriefing) -> None:
    page = render_morning_html(briefing)
    assert page.startswith("<!doctype html>")
    parsed = parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert "script" not in tags and "<script" not in page.lower()
    assert not tags & {"img", "link", "iframe", "object", "embed", "video", "audio", "form", "input"}
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "srcset" not in attrs, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "url(" not in (attrs.get("style") or ""), tag
    assert "@import" not in page and "@font-face" not in page and "url(" not in page
    assert "max-width:680px" in page


def test_html_shows_stories_in_order_with_every_quote(briefing: MorningBriefing) -> None:
    page = render_morning_html(briefing)
    text = text_of(page)
    positions = [text.index(f"{n}. {story.headline}") for n, story in enumerate(briefing.stories, start=1)]
    assert positions == sorted(positions)
    for story in briefing.stories:
        for claim in story.claims:
            assert claim.statement in text
            for quote in [*claim.evidence, *claim.contradicted_by]:
                assert quote.evidence in text
    assert page.count("<blockquote") == 6 + 3 + 1  # the wire quote once for its two outlets
    assert "— Metro Wire, Harbor Herald · A4" in text
    assert "Contradicts: Investigators have not yet determined what caused the fire" in text
    assert "estimated cost unknown" in text and "$0" not in text
    assert "new" in text and "continuing" in text


def test_html_agreement_table_cells(briefing: MorningBriefing) -> None:
    page = render_morning_html(briefing)
    tables = re.findall(r'<table class="agree" data-agreement="S\d+".*?</table>', page, flags=re.DOTALL)
    assert len(tables) == 2  # a single-outlet story has nothing to compare
    fire_rows = [fragment_text(row) for row in re.findall(r"<tr.*?</tr>", tables[0], flags=re.DOTALL)]
    assert fire_rows[0] == "Claim Courier Valley Post Northern Times"
    assert fire_rows[1] == "1. A fire broke out at the Delmar chemical plant. ✔ supports ✔ supports ✔ supports"
    assert fire_rows[2] == (
        "2. A gas leak in the boiler room started the fire. ✔ supports – not mentioned ✘ contradicts"
    )
    assert fire_rows[3].endswith("– not mentioned – not mentioned ✔ supports")
    # colour backs up the symbol and the word; it never replaces them
    assert 'background:#e6f4ea;color:#1e6b34;font-weight:bold;">✔ supports</td>' in tables[0]
    assert 'background:#fce8e6;color:#a50e0e;font-weight:bold;">✘ contradicts</td>' in tables[0]
    assert 'color:#80868b;font-weight:normal;">– not mentioned</td>' in tables[0]


def test_html_conflicts_sources_and_links(briefing: MorningBriefing) -> None:
    page = render_morning_html(briefing)
    text = text_of(page)
    assert "Figures that differ" in text and "People hurt" in text
    assert "“Twelve people were treated in hospital” — Courier · A1" in text
    assert "“Seventeen people were hurt” — Valley Post · A2" in text
    assert "also published by Harbor Herald" in text
    assert "https://gazette.example/feed.xml: answered 503" in text
    hrefs = [attrs["href"] for tag, attrs in parse(page).tags if tag == "a"]
    assert "https://metro-wire.example/a4" in hrefs and "https://harbor-herald.example/business/rates" in hrefs
    assert all(h and h.startswith("https://") for h in hrefs)


def test_html_escapes_untrusted_text_and_urls(evil: MorningBriefing) -> None:
    page = render_morning_html(evil)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = parse(page)
    assert "script" not in {tag for tag, _ in parsed.tags}
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
    hrefs = [attrs["href"] or "" for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs and all(re.match(r"https?://", h) for h in hrefs)
    assert not [h for h in hrefs if "javascript" in h.lower()]
    text = text_of(page)
    # hostile text is shown, as text, where it was: headline, quote, outlet column, title, URL
    assert f"1. {EVIL}" in text and f"“{EVIL}”" in text
    assert "javascript:alert(3)" in text and "javascript:alert(5)" in text
    assert text.count(EVIL) >= 10


def test_markdown_and_html_cope_with_stances_of_unknown_outlets(briefing: MorningBriefing) -> None:
    story = briefing.stories[0]
    claim = story.claims[0].model_copy(update={"agreement": {"Courier": Stance.SUPPORTS}})
    sparse = briefing.model_copy(update={"stories": [story.model_copy(update={"claims": [claim]})]})
    assert "| 1. A fire broke out at the Delmar chemical plant. | ✔ | – | – |" in render_morning_markdown(sparse)
    assert "– not mentioned" in text_of(render_morning_html(sparse))


# --- JSON and dispatch ---------------------------------------------------------------------------------


def test_json_round_trips(briefing: MorningBriefing) -> None:
    rendered = render_morning_json(briefing)
    assert rendered.endswith("}\n") and rendered.startswith('{\n  "generated_at"')
    assert MorningBriefing.model_validate_json(rendered) == briefing
    assert '"estimated_cost_usd": null' in rendered


def test_render_morning_dispatches(briefing: MorningBriefing) -> None:
    assert render_morning(briefing, "md") == render_morning_markdown(briefing)
    assert render_morning(briefing, "html") == render_morning_html(briefing)
    assert render_morning(briefing, "json") == render_morning_json(briefing)
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render_morning(briefing, "pdf")


def test_json_is_the_models_own_serialisation(briefing: MorningBriefing) -> None:
    assert render_morning_json(briefing) == briefing.model_dump_json(indent=2) + "\n"


def test_saved_files_are_the_renders(briefing: MorningBriefing, tmp_path: Path) -> None:
    paths, kept = save_morning(briefing, tmp_path, keep="json")
    by_suffix = {path.suffix: path.read_text(encoding="utf-8") for path in paths}
    assert by_suffix == {f".{fmt}": render_morning(briefing, fmt) for fmt in ("md", "html", "json")}
    assert "".join(text_slices(kept["json"])) == by_suffix[".json"]


def test_text_slices_decode_a_character_cut_between_slices() -> None:
    parts = ("ab", "é😀日本".encode(), "\n")
    for size in range(1, 8):
        assert "".join(text_slices(parts, size)) == "abé😀日本\n"
    with pytest.raises(UnicodeDecodeError):
        list(text_slices(("é".encode()[:1],)))


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1 << 16])
def test_markdown_squeezed_piece_by_piece_is_the_whole_text_squeezed(size: int) -> None:
    text = "a\n\n\n\nb\nc\n\n\n" + "\n" * 5 + "d\n\n" + "e" * 9 + "\n\n\n"
    pieces = [text[i : i + size] for i in range(0, len(text), size)]
    blank_lines = re.compile(r"\n{3,}")
    assert "".join(squeezed(pieces, blank_lines)) == blank_lines.sub("\n\n", text)


def test_json_pieces_with_empty_and_full_lists(briefing: MorningBriefing) -> None:
    for update in ({}, {"stories": []}, {"articles": []}, {"stories": [], "articles": []}):
        model = briefing.model_copy(update=update)
        assert b"".join(json_pieces(model, ("stories", "articles"))).decode() == model.model_dump_json(indent=2)
