"""The morning job end to end against a fake endpoint: dedupe, caching, resuming, grounding, failures.

The fake endpoint computes its answers from the request (quoting the article it was sent), to exercise
briefer's logic; nothing here stands for a model's output. Real-model runs are in test_morning_recorded.py.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from briefer import morning
from briefer._config import Settings
from tests.fake_openai import FakeOpenAI, Reply, completion

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{date}"></head>
<body><nav>Home | World | Sport</nav><article><h1>{title}</h1>{paragraphs}</article>
<footer>Copyright {outlet}</footer></body></html>"""

FIRE = [
    "A fire broke out at the Delmar chemical plant in Ostrava Falls early on Monday, officials said.",
    "Twelve workers were taken to hospital with breathing problems, fire chief Dana Ruiz told reporters.",
    "Residents within two kilometres were told to keep windows closed while crews fought the blaze.",
]
FIRE_2 = [
    "Seventeen workers were hospitalised after a blaze at the Delmar chemical plant in Ostrava Falls on Monday.",
    "The county health office gave the figure, which is higher than the one the fire chief gave in the morning.",
    "Plant owner Brightwell Chemicals said it was cooperating with investigators looking into the cause.",
]
RATES = [
    "The Central Bank of Norland raised its main interest rate by a quarter point to 4.5 percent on Tuesday.",
    "Governor Ilse Maren said inflation had stayed above target for too long and more steps could follow.",
    "Economists at Harbor Capital had expected the increase, which was the third this year for the bank.",
]
STADIUM = [
    "The Kessel city council approved a loan of 80 million crowns for the new Riverside football stadium on Wednesday.",
    "Councillor Tomas Brenn said the stadium would bring jobs, while opponents said the money was needed for schools.",
    "The vote was nine to six after a debate that lasted more than four hours in the packed council chamber.",
]


def page(title: str, outlet: str, date: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return PAGE.format(title=title, outlet=outlet, date=date, paragraphs=body)


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    files = {
        "courier-fire.html": page("Fire at Delmar plant", "Courier", "2026-11-24T07:00:00Z", FIRE),
        "post-fire.html": page("Seventeen hurt in Delmar fire", "Valley Post", "2026-11-24T09:00:00Z", FIRE_2),
        "wire-rates.html": page("Norland raises rates", "Metro Wire", "2026-11-24T10:00:00Z", RATES),
        "courier-rates.html": page("Central bank lifts rate to 4.5%", "Courier", "2026-11-24T10:30:00Z", RATES),
        "post-stadium.html": page("Council backs stadium loan", "Valley Post", "2026-11-24T11:00:00Z", STADIUM),
    }
    for name, html in files.items():
        (folder / name).write_text(html, encoding="utf-8")
    return folder


def articles_in(request: dict) -> dict[str, tuple[list[int], str]]:
    """The first claim's sentence numbers and statement per article id, from a synthesize_story request."""
    user = request["messages"][1]["content"]
    claims: dict[str, tuple[list[int], str]] = {}
    for found in re.finditer(r"^- (A\d+) \[([\d, ]+)\] (.+) \(", user, re.MULTILINE):
        numbers = [int(n) for n in found.group(2).split(",")]
        claims.setdefault(found.group(1), (numbers, found.group(3)))
    return claims


def shortened(sentence: str, words: int) -> str:
    """The sentence's first words, ending on a content word: a statement of the fake's own."""
    kept = sentence.rstrip(".").split()[:words]
    while kept and (len(kept[-1]) <= 3 or kept[-1].endswith(",")):
        kept.pop()
    return " ".join(kept)


def answer(request: dict) -> Reply:
    """Compute a valid answer from the request: claim the article's first long sentence, or cite what was given."""
    user = request["messages"][1]["content"]
    system = request["messages"][0]["content"]
    if "merge several outlets" in system:
        claims = [
            {"statement": statement, "supported_by": [{"article": aid, "sentences": numbers}]}
            for aid, (numbers, statement) in articles_in(request).items()
        ]
        body = {"headline": "Story", "what_happened": "It happened.", "claims": claims, "open_questions": []}
        return completion(json.dumps(body))
    text = user.split("<article>\n", 1)[1].split("\n</article>", 1)[0]
    number, sentence = next(
        (int(m.group(1)), m.group(2))
        for m in re.finditer(r"^\[(\d+)\] (.+)$", text, re.MULTILINE)
        if len(m.group(2).split()) > 8
    )
    claim = {
        "sentences": [number],
        "speaker": "the outlet",
        "attribution": "outlet_assertion",
        "statement": shortened(sentence, 10) + ".",
    }
    actor = {"name": "Delmar" if "Delmar" in text else "Norland", "kind": "organisation", "role": None, "stance": "x"}
    draft = {
        "headline": shortened(sentence, 6),
        "summary": "Summary.",
        "key_claims": [claim],
        "actors": [actor],
        "open_questions": [],
    }
    return completion(json.dumps(draft), prompt_tokens=500, completion_tokens=100)


def run(fake: FakeOpenAI, folder: Path, concurrency: int = 2, **options):
    settings = Settings(
        base_url=fake.base_url, api_key="k", model="fake", remember_modes=False, concurrency=concurrency
    )
    return morning([str(folder)], settings=settings, since="2026-11-01", **options)


def test_morning_dedupes_groups_grounds_and_caches(fake_openai: FakeOpenAI, news: Path) -> None:
    fake_openai.responder = answer
    first = run(fake_openai, news)
    summary = first.summary
    assert (summary.articles_new, summary.duplicates, summary.failed) == (4, 1, 0)
    wire = next(a for a in first.articles if a.source.outlet in {"Metro Wire", "Courier"} and a.also_published_by)
    assert {wire.source.outlet, wire.also_published_by[0].outlet} == {"Metro Wire", "Courier"}
    assert summary.stories == 3
    texts = {a.id: a for a in first.articles}
    for story in first.stories:
        for claim in story.claims:
            assert claim.evidence
            for cite in claim.evidence:
                assert cite.evidence and cite.evidence in texts[cite.article].briefing.key_claims[0].evidence
    fire = next(s for s in first.stories if len(s.articles) == 2)
    assert set(fire.outlets) == {"Courier", "Valley Post"}
    calls = len(fake_openai.requests)
    assert summary.llm_calls == calls == 4 + 1  # four articles, one story of two articles to synthesise
    assert [s.id for s in first.stories] == ["S1", "S2", "S3"]
    assert first.stories[0].importance >= first.stories[-1].importance

    second = run(fake_openai, news)
    assert len(fake_openai.requests) == calls  # nothing asked again
    assert second.summary.llm_calls == 0 and second.summary.articles_cached == 4
    assert [s.headline for s in second.stories] == [s.headline for s in first.stories]
    assert all(not s.new_since_previous for s in second.stories)


def test_max_articles_then_resume_asks_only_for_what_is_missing(fake_openai: FakeOpenAI, news: Path) -> None:
    fake_openai.responder = answer
    limited = run(fake_openai, news, max_articles=2)
    assert limited.summary.articles_new == 2 and limited.summary.skipped == 2
    article_calls = [r for r in fake_openai.requests if "merge several outlets" not in r["messages"][0]["content"]]
    assert len(article_calls) == 2
    rest = run(fake_openai, news)
    assert rest.summary.articles_cached == 2 and rest.summary.articles_new == 2


def test_a_failing_article_is_reported_retried_once_then_failed_for_good(fake_openai: FakeOpenAI, news: Path) -> None:
    fake_openai.push(*[completion("not json") for _ in range(3)])  # the first article never validates
    fake_openai.responder = answer
    result = run(fake_openai, news, concurrency=1)
    assert result.summary.failed == 1 and "after 2 re-asks" in result.failed_sources[0].error
    assert result.failed_sources[0].error.endswith("(tried again on the next run)")
    assert result.summary.articles_new == 3
    asked = len(fake_openai.requests)
    fake_openai.push(*[completion("not json") for _ in range(3)])  # bad output a second time: for good
    again = run(fake_openai, news, concurrency=1)
    assert len(fake_openai.requests) == asked + 3  # only the failed article was asked again
    assert again.summary.failed == 1 and again.failed_sources[0].error.endswith("(failed for good: bad output twice)")
    asked = len(fake_openai.requests)
    third = run(fake_openai, news, concurrency=1)  # the same model on the same text: not asked again
    assert len(fake_openai.requests) == asked
    assert third.summary.failed == 1 and third.failed_sources[0].error.endswith("(failed for good; not asked again)")


def test_unknown_price_is_unknown_and_max_cost_needs_a_price(fake_openai: FakeOpenAI, news: Path) -> None:
    from briefer._errors import ConfigError

    fake_openai.responder = answer
    assert run(fake_openai, news).summary.estimated_cost_usd is None
    with pytest.raises(ConfigError, match="no price for model 'fake'"):
        run(fake_openai, news, max_cost=0.01)


def test_kill_9_halfway_then_restart_requests_only_the_rest(
    fake_openai: FakeOpenAI, news: Path, tmp_path: Path
) -> None:
    """A real process killed with SIGKILL mid-run keeps every finished article."""

    def slow(request: dict) -> Reply:
        reply = answer(request)
        reply.delay = 0.6
        return reply

    fake_openai.responder = slow
    config = tmp_path / "config.toml"
    config.write_text("concurrency = 1\n", encoding="utf-8")  # one request at a time: a clean place to cut
    env = {
        **os.environ,
        "OPENAI_BASE_URL": fake_openai.base_url,
        "BRIEFER_MODEL": "fake",
        "BRIEFER_CONFIG": str(config),
    }
    command = [
        sys.executable,
        "-m",
        "briefer",
        "morning",
        str(news),
        "--since",
        "2026-11-01",
        "--out",
        str(tmp_path / "out"),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(fake_openai.requests) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the third request is in flight: killed before its answer is stored
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    before = len(fake_openai.requests)
    assert before == 3
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    cached = int(re.search(r"cached (\d+)", done.stderr).group(1))
    assert cached == 2  # the two answers the killed run received were kept
    asked_again = len(fake_openai.requests) - before
    assert asked_again == (4 - cached) + 1  # the missing articles, and the one story to synthesise


# what only making briefings and stories needs: a rerun that finds everything made never imports it
MAKING_ONLY = (
    "briefer._pipeline.article",
    "briefer._pipeline.synthesis",
    "briefer._grounding",
    "briefer._support",
    "briefer._facts",
    "briefer._figures",
    "briefer._prose",
    "briefer._attribution",
    "simplemma",
    "snowballstemmer",
    "yaml",
)


CHANGES_ON_RERUN = {"new_since_previous", "importance", "importance_reasons"}  # a story seen before ranks lower


def test_a_rerun_asks_nothing_and_imports_nothing_that_makes_briefings(
    fake_openai: FakeOpenAI, news: Path, tmp_path: Path
) -> None:
    fake_openai.responder = answer
    env = {**os.environ, "OPENAI_BASE_URL": fake_openai.base_url, "BRIEFER_MODEL": "fake"}
    command = [sys.executable, "-X", "importtime", "-m", "briefer", "morning", str(news), "--since", "2026-11-01"]
    command += ["--format", "json", "--out", str(tmp_path / "out")]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    asked = len(fake_openai.requests)
    assert asked == 4 + 1
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert len(fake_openai.requests) == asked
    timed = [line for line in second.stderr.splitlines() if line.startswith("import time:")]
    imported = {line.rsplit("|", 1)[1].strip() for line in timed}
    assert imported & {"briefer._pipeline.morning", "briefer._models"}  # the run did import what it ran
    assert not imported & set(MAKING_ONLY)
    before, after = json.loads(first.stdout), json.loads(second.stdout)
    assert after["summary"]["articles_cached"] == 4 and not any(s["new_since_previous"] for s in after["stories"])
    for story in (*before["stories"], *after["stories"]):
        for field in CHANGES_ON_RERUN:  # new, then not
            del story[field]
    assert sorted(after["stories"], key=str) == sorted(before["stories"], key=str)


def test_the_python_function_never_formats_the_briefing_it_returns(
    fake_openai: FakeOpenAI, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # asyncio.run formats its main task on leaving, result and all: 0.38 s for a 1,000-article briefing
    from briefer._models import MorningBriefing

    formatted: list[int] = []
    monkeypatch.setattr(MorningBriefing, "__repr__", lambda self: formatted.append(1) or "MorningBriefing(...)")
    fake_openai.responder = answer
    assert run(fake_openai, news).summary.stories == 3
    assert formatted == []


def test_a_rerun_reuses_one_article_stories_until_the_article_is_briefed_again(
    fake_openai: FakeOpenAI, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefer._pipeline.morning as pipeline

    built: list[str] = []
    single = pipeline.single_article_story
    monkeypatch.setattr(pipeline, "single_article_story", lambda m: built.append(m.entry.id) or single(m))
    fake_openai.responder = answer
    first = run(fake_openai, news)
    assert len(built) == 2  # the rate decision (one text, two outlets) and the stadium loan
    second = run(fake_openai, news)
    assert len(built) == 2
    assert [s.model_dump(exclude=CHANGES_ON_RERUN) for s in second.stories] == [
        s.model_dump(exclude=CHANGES_ON_RERUN) for s in first.stories
    ]

    def renamed(request: dict) -> Reply:
        draft = json.loads(answer(request).body["choices"][0]["message"]["content"])
        return completion(json.dumps(draft | {"headline": "Again: " + draft["headline"]}))

    fake_openai.responder = renamed
    stadium = next(a for a in first.articles if a.source.title == "Council backs stadium loan")
    with sqlite3.connect(tmp_path / "state.sqlite3") as db:  # its briefing lost: the article is briefed again
        db.execute("DELETE FROM briefings WHERE content_hash = ?", (stadium.content_hash,))
    third = run(fake_openai, news)
    assert len(built) == 3
    story = next(s for s in third.stories if s.articles == [stadium.id])
    assert story.headline.startswith("Again: ")  # not the story of the briefing it replaced


def test_a_reused_story_is_rebuilt_when_another_outlet_runs_a_copy(fake_openai: FakeOpenAI, news: Path) -> None:
    fake_openai.responder = answer
    first = run(fake_openai, news)
    stadium = next(s for s in first.stories if "Valley Post" in s.outlets and len(s.articles) == 1)
    copy = page("Stadium loan approved", "Metro Wire", "2026-11-24T11:30:00Z", STADIUM)
    (news / "wire-stadium.html").write_text(copy, encoding="utf-8")
    second = run(fake_openai, news)
    story = next(s for s in second.stories if s.articles == stadium.articles)
    assert story.outlets == ["Valley Post", "Metro Wire"]  # not the story the previous briefing held
    assert {quote.outlet for claim in story.claims for quote in claim.evidence} == {"Valley Post", "Metro Wire"}


def test_a_rerun_reuses_the_groups(fake_openai: FakeOpenAI, news: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer._grouping import Grouping

    grouped: list[list[list[int]]] = []
    groups = Grouping.groups
    monkeypatch.setattr(Grouping, "groups", lambda self, *a, **k: grouped.append(groups(self, *a, **k)) or grouped[-1])
    fake_openai.responder = answer
    first = run(fake_openai, news)
    assert len(grouped) == 1
    second = run(fake_openai, news)
    assert len(grouped) == 1  # the same scores and verdicts: the groups found before
    assert [s.articles for s in second.stories] == [s.articles for s in first.stories]


def months_pass(state: Path, days: int) -> None:
    """Move every date the state file keeps ``days`` into the past, as if the runs in it were that old."""
    columns = {
        "articles": ["first_seen"],
        "sightings": ["seen_at"],
        "briefings": ["created_at"],
        "syntheses": ["created_at"],
        "runs": ["started_at", "finished_at"],
        "pending": ["updated_at"],
    }
    connection = sqlite3.connect(state)
    with connection:
        connection.create_function("back", 1, lambda moment: moment and _days_before(moment, days))
        for table, names in columns.items():
            connection.execute(f"UPDATE {table} SET {', '.join(f'{n} = back({n})' for n in names)}")
    connection.close()


def _days_before(moment: str, days: int) -> str:
    return (datetime.fromisoformat(moment) - timedelta(days=days)).isoformat()


def test_a_run_a_month_on_forgets_the_old_runs_but_not_the_briefings_still_in_use(
    fake_openai: FakeOpenAI, news: Path, tmp_path: Path
) -> None:
    fake_openai.responder = answer
    state = tmp_path / "state.sqlite3"
    run(fake_openai, news, state=state)
    gone = news / "post-stadium.html"
    gone.unlink()  # the stadium story is no longer in the sources
    run(fake_openai, news, state=state)
    asked = len(fake_openai.requests)
    months_pass(state, 45)

    later = run(fake_openai, news, state=state)
    assert len(fake_openai.requests) == asked and later.summary.articles_cached == 3  # still seen: still cached
    connection = sqlite3.connect(state)
    runs = connection.execute("SELECT count(*) FROM runs").fetchone()[0]
    briefings = connection.execute("SELECT count(*) FROM briefings").fetchone()[0]
    connection.close()
    # the stadium's briefing went with the runs that saw it; this run stays: the next one marks what is new by it
    assert (runs, briefings) == (1, 3)

    months_pass(state, 45)
    settings = Settings(base_url=fake_openai.base_url, api_key="k", model="fake", remember_modes=False, keep_days=0)
    morning([str(news)], settings=settings, since="2026-11-01", state=state)
    connection = sqlite3.connect(state)
    assert connection.execute("SELECT count(*) FROM runs").fetchone()[0] == 2  # keep_days=0: nothing forgotten
    connection.close()
