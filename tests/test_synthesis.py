"""Story synthesis checks: support found by briefer in every article, agreement tables, conflicts, ranking."""

from __future__ import annotations

from briefer._models import (
    Actor,
    ActorKind,
    Article,
    ArticleEntry,
    Briefing,
    DraftCitation,
    DraftStory,
    DraftStoryClaim,
    Generation,
    GroundingReport,
    Source,
    Stance,
)
from briefer._pipeline.prose import GroundedProse
from briefer._pipeline.ranking import rank
from briefer._pipeline.synthesis import StoryArticle, build_story, single_article_story, story_key, with_prose

TEXTS = {
    "A1": "Twelve workers were taken to hospital after the fire at the Delmar plant, the fire chief said on Monday.",
    "A2": "Seventeen workers were hospitalised, according to the county health office, after the Delmar plant fire.",
    "A3": "The Delmar plant fire forced an evacuation within 2 km, officials said. "
    "Twelve workers were taken to hospital.",
    "A4": "“Twelve of our workers were taken to hospital after the fire at the Delmar plant on Monday morning,” "
    "the fire chief said.",
}
OUTLETS = {"A1": "Courier", "A2": "Valley Post", "A3": "Metro Wire", "A4": "Harbour Times"}


def member(article_id: str, *, copies: tuple[str, ...] = (), published: str = "2026-11-24T08:00:00Z") -> StoryArticle:
    text = TEXTS[article_id]
    briefing = Briefing(
        headline=f"Headline {article_id}",
        summary="Summary.",
        key_claims=[],
        actors=[Actor(name="Dana Ruiz", kind=ActorKind.PERSON, role="fire chief", stance="Reported casualties.")],
        open_questions=[],
        source=Source(outlet=OUTLETS[article_id]),
        generation=Generation(model="m", endpoint="e", prompt_name="p", prompt_version="v", output_mode="json_object"),
        grounding=GroundingReport(),
    )
    article = Article(text=text, source=Source(outlet=OUTLETS[article_id], published=published))
    entry = ArticleEntry(
        id=article_id,
        content_hash=article.content_hash,
        source=article.source,
        also_published_by=[Source(outlet=name) for name in copies],
        briefing=briefing,
    )
    return StoryArticle(entry=entry, article=article)


def cite(article: str, *sentences: int) -> DraftCitation:
    return DraftCitation(article=article, sentences=list(sentences))


def test_support_agreement_and_conflicts_are_found_by_briefer() -> None:
    members = [member("A1"), member("A2"), member("A3", copies=("Coastline Daily",))]
    draft = DraftStory(
        headline="Fire at Delmar plant",
        what_happened="A fire broke out.",
        claims=[
            DraftStoryClaim(
                statement="Twelve workers were taken to hospital after the Delmar plant fire.",
                supported_by=[cite("A1", 1), cite("A2", 1)],
            ),
            # the model cites the wrong article: briefer finds the support in A3 itself
            DraftStoryClaim(
                statement="The Delmar plant fire forced an evacuation within 2 km.", supported_by=[cite("A1", 1)]
            ),
            DraftStoryClaim(statement="The Delmar plant will close for good next year.", supported_by=[cite("A1", 1)]),
        ],
        open_questions=[],
    )
    story = build_story(members, draft)
    assert [c.statement for c in story.claims] == [
        "Twelve workers were taken to hospital after the Delmar plant fire.",
        "The Delmar plant fire forced an evacuation within 2 km.",
    ]
    first, second = story.claims
    assert {c.article for c in first.evidence} == {"A1", "A3"}  # never A2, which says seventeen
    assert first.agreement == {
        "Courier": Stance.SUPPORTS,
        "Valley Post": Stance.CONTRADICTS,
        "Metro Wire": Stance.SUPPORTS,
        "Coastline Daily": Stance.SUPPORTS,  # ran A3's wire copy
    }
    assert [c.article for c in first.contradicted_by] == ["A2"]
    assert {c.article for c in second.evidence} == {"A3"}
    assert second.agreement["Courier"] is Stance.NOT_MENTIONED
    for claim in story.claims:
        for citation in claim.evidence + claim.contradicted_by:
            text = TEXTS[citation.article]
            assert text[citation.span.start : citation.span.end] == citation.evidence
    report = story.grounding
    assert (report.proposed, report.published, report.dropped) == (3, 2, 1)
    assert report.dropped_claims[0].kind == "unsupported"
    assert len(story.conflicts) == 1
    assert {v.outlet for v in story.conflicts[0].values} >= {"Courier", "Valley Post"}
    assert len(story.actors) == 1


def test_prose_replaces_the_drafts_headline_and_account_and_keeps_the_claims() -> None:
    members = [member("A1"), member("A3")]
    draft = DraftStory(
        headline="Fire at Delmar plant",
        what_happened="A fire broke out.",
        claims=[DraftStoryClaim(statement="Twelve workers were taken to hospital.", supported_by=[cite("A1", 1)])],
        open_questions=[],
    )
    prose = GroundedProse(
        headline="Twelve hurt in Delmar fire", summary="Twelve went to hospital.", fallbacks=["x"], problems=["y"]
    )
    built = build_story(members, draft)
    assert (built.headline, built.what_happened) == (draft.headline, draft.what_happened)
    assert (built.grounding.prose_fallbacks, built.grounding.prose_problems) == ([], [])
    story = with_prose(built, prose)
    assert (story.headline, story.what_happened) == ("Twelve hurt in Delmar fire", "Twelve went to hospital.")
    assert (story.grounding.prose_fallbacks, story.grounding.prose_problems) == (["x"], ["y"])
    assert story.claims == built.claims and story.conflicts == built.conflicts
    assert story.grounding.model_dump(exclude={"prose_fallbacks", "prose_problems"}) == built.grounding.model_dump(
        exclude={"prose_fallbacks", "prose_problems"}
    )
    assert story != built


def test_single_article_story_reuses_its_grounded_claims() -> None:
    lone = member("A1", copies=("Valley Post",))
    story = single_article_story(lone)
    assert story.outlets == ["Courier", "Valley Post"] and story.articles == ["A1"]


def test_story_key_is_order_free() -> None:
    a, b = member("A1"), member("A2")
    assert story_key([a, b]) == story_key([b, a]) != story_key([a])


def test_rank_explains_and_orders_by_independent_reports_recency_novelty() -> None:
    members = {m.entry.id: m for m in [member("A1"), member("A2", published="2026-11-23T08:00:00Z"), member("A3")]}
    big = single_article_story(members["A1"]).model_copy(
        update={"articles": ["A1", "A3"], "outlets": ["Courier", "Metro Wire"]}
    )
    old = single_article_story(members["A2"]).model_copy(update={"new_since_previous": False})
    ranked = rank([old, big], members, newest=members["A1"].article.source and None)
    assert [s.articles for s in ranked] == [["A1", "A3"], ["A2"]]
    assert ranked[0].id == "S1" and "2 independent reports from 2 outlets" in ranked[0].importance_reasons[0]
    assert not any("new since" in reason for reason in ranked[1].importance_reasons)


def test_a_story_claim_that_copies_a_quotation_is_restated_once(fake_openai) -> None:
    import asyncio
    import json

    from briefer._config import Settings
    from briefer._llm import LLM, ModeMemory
    from briefer._pipeline.session import Session
    from briefer._pipeline.synthesis import synthesize_story
    from tests.fake_openai import completion

    members = [member("A4"), member("A2")]
    copied = TEXTS["A4"].replace("“", "").replace("”", "")  # the quotation, its marks dropped
    fake_openai.push(
        completion(
            json.dumps(
                {
                    "headline": "Fire at Delmar plant",
                    "what_happened": "A fire broke out.",
                    "claims": [{"statement": copied, "supported_by": [{"article": "A4", "sentences": [1]}]}],
                    "open_questions": [],
                }
            )
        ),
        completion(
            json.dumps(
                {"claims": [{"passage": 1, "statement": "The fire chief said twelve workers went to hospital."}]}
            )
        ),
    )
    settings = Settings(base_url=fake_openai.base_url, api_key="k", model="fake", remember_modes=False)

    async def run():
        llm = LLM(settings, memory=ModeMemory())
        try:
            return await synthesize_story(Session(llm), members)
        finally:
            await llm.aclose()

    draft = asyncio.run(run())
    assert [c.statement for c in draft.claims] == ["The fire chief said twelve workers went to hospital."]
    assert "1. “Twelve of our workers were taken to hospital" in fake_openai.requests[1]["messages"][1]["content"]
    story = build_story(members, draft)
    assert [c.statement for c in story.claims] == ["The fire chief said twelve workers went to hospital."]
    assert story.claims[0].agreement["Valley Post"] is Stance.CONTRADICTS
