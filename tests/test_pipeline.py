"""The single-article pipeline against scripted answers: grounding, re-ask, drop, chunking, usage.

The fake server's answers are written here to exercise briefer's logic; they are not a model's output.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest

from briefer._config import Settings
from briefer._errors import InvalidOutputError
from briefer._llm import LLM, ModeMemory
from briefer._models import Article, DropReason, Source, SpeakerCheck
from briefer._pipeline.article import brief_article
from briefer._sentences import split_sentences
from tests.fake_openai import FakeOpenAI, completion

ARTICLE = (
    "HARBOUR CITY — The council voted 7–2 on Monday to close the Eastgate bridge for repairs.\n\n"
    "“We cannot take chances with people’s lives,” said Mayor Ines Carvalho, adding that the closure "
    "would last at least eight months.\n\n"
    "Engineers found corrosion in 14 of the bridge's 40 support cables, according to the inspection report.\n\n"
    "Local shop owners said they feared a sharp drop in customers during the works."
)


def claim(statement: str, *sentences: int, speaker: str = "Ines Carvalho", kind: str = "paraphrase") -> dict:
    return {"sentences": list(sentences), "speaker": speaker, "attribution": kind, "statement": statement}


def draft(claims: list[dict], headline: str = "Council closes Eastgate bridge", summary: str = "It closes.") -> str:
    return json.dumps(
        {
            "headline": headline,
            "summary": summary,
            "key_claims": claims,
            "actors": [{"name": "Ines Carvalho", "kind": "person", "role": "Mayor", "stance": "Wants it closed."}],
            "open_questions": [{"question": "Who pays?", "why_it_matters": "The budget is tight."}],
        }
    )


def revisions(*items: tuple[int, list[int], str]) -> str:
    return json.dumps({"claims": [{"claim": n, "sentences": s, "statement": t} for n, s, t in items]})


def run(server: FakeOpenAI, article: Article, **overrides: object):
    settings = Settings(base_url=server.base_url, api_key="k", model="fake", context_tokens=8192, max_tokens=1024)
    llm = LLM(replace(settings, **overrides), memory=ModeMemory())

    async def once():
        try:
            return await brief_article(article, llm)
        finally:
            await llm.aclose()

    return asyncio.run(once())


def test_claims_are_checked_revised_once_or_dropped(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(
        completion(
            draft(
                [
                    claim("Carvalho said the bridge will close for at least eight months.", 2),
                    claim(
                        "The council voted 7-2 to close the bridge.", 1, speaker="Harbour Post", kind="outlet_assertion"
                    ),
                    claim("Engineers found corrosion in 20 cables.", 3, speaker="the outlet", kind="outlet_assertion"),
                    claim("Tourism will collapse, experts warned.", 9, speaker="experts"),
                ]
            )
        ),
        completion(revisions((1, [3], "An inspection found corrosion in 14 of the 40 support cables."), (2, [], ""))),
    )
    briefing = run(fake_openai, Article(text=ARTICLE, source=Source(outlet="Harbour Post")))
    report = briefing.grounding
    assert (report.proposed, report.published, report.passed_first_time, report.repaired, report.dropped) == (
        4,
        3,
        2,
        1,
        1,
    )
    assert [c.sentences for c in briefing.key_claims] == [[1], [2], [3]]
    for key_claim in briefing.key_claims:
        assert ARTICLE[key_claim.span.start : key_claim.span.end] == key_claim.evidence
    assert briefing.key_claims[1].speaker_check is SpeakerCheck.CONFIRMED
    assert briefing.key_claims[2].repaired and not briefing.key_claims[0].repaired
    assert report.dropped_by_reason == {DropReason.NOT_FOUND: 1}
    assert report.dropped_claims[0].statement == "Tourism will collapse, experts warned."
    revise = fake_openai.requests[1]["messages"][1]["content"].split("Claims that need another look:")[1]
    assert "20 cables" in revise and '"20"' in revise  # names what the sentence lacks
    assert "does not exist" in revise and "eight months" not in revise
    assert "[3] Engineers found corrosion" in fake_openai.requests[1]["messages"][1]["content"]
    assert briefing.generation.usage.requests == 2
    assert briefing.source.outlet == "Harbour Post"


def test_all_checked_needs_no_reask(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(completion(draft([claim("Carvalho said the closure would last at least eight months.", 2)])))
    briefing = run(fake_openai, Article(text=ARTICLE))
    assert briefing.grounding.published == 1 and briefing.grounding.dropped == 0
    assert len(fake_openai.requests) == 1
    numbered = fake_openai.requests[0]["messages"][1]["content"]
    assert "[1] HARBOUR CITY" in numbered and "[4] Local shop owners" in numbered


def test_failed_reask_drops_the_claims_and_keeps_the_briefing(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(
        completion(draft([claim("Invented claim about tourism collapsing by 90 percent.", 4)])),
        *[completion("no json") for _ in range(3)],
    )
    briefing = run(fake_openai, Article(text=ARTICLE))
    assert briefing.key_claims == [] and briefing.grounding.dropped == 1
    assert briefing.grounding.dropped_by_reason == {DropReason.UNSUPPORTED: 1}
    assert "re-ask failed" in briefing.grounding.dropped_claims[0].reason
    assert briefing.generation.usage.requests == 4


def test_invented_place_in_the_headline_is_reasked_then_replaced(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(
        completion(
            draft(
                [claim("Carvalho said the closure would last at least eight months.", 2)],
                headline="Eastgate bridge in British Columbia closes",
            )
        ),
        completion(json.dumps({"headline": "Bridge closes in Vancouver", "summary": "It closes."})),
    )
    briefing = run(fake_openai, Article(text=ARTICLE, source=Source(title="Council votes to close Eastgate bridge")))
    assert "British Columbia" in fake_openai.requests[1]["messages"][1]["content"]
    assert "Vancouver" not in briefing.headline and "British" not in briefing.headline
    assert briefing.grounding.prose_fallbacks == ["headline"]
    assert any("British Columbia" in problem for problem in briefing.grounding.prose_problems)


def test_long_article_is_chunked_and_offsets_point_into_the_whole(fake_openai: FakeOpenAI) -> None:
    paragraphs = [f"Paragraph {i} says the harbour budget rose by {i} million crowns this year." for i in range(300)]
    text = "\n\n".join(["Mayor Ines Carvalho presented the harbour budget.", *paragraphs])
    settings = {"context_tokens": 4096, "max_tokens": 512, "concurrency": 1}
    # how many chunks the budget gives, so the script can answer each one
    from briefer._chunking import split_article
    from briefer._pipeline.article import _article_budget

    llm = LLM(
        replace(Settings(base_url=fake_openai.base_url, api_key="k", model="fake"), **settings), memory=ModeMemory()
    )
    chunks = split_article(text, _article_budget(llm, Article(text=text)))
    assert len(chunks) >= 3
    for chunk in chunks:
        last = chunk.text.split("\n\n")[-1]
        number = next(x.number for x in split_sentences(text) if text[x.start : x.end] == last)
        figure = number - 2  # the mayor's line is sentence 1, paragraph i is sentence i + 2
        fake_openai.push(
            completion(
                draft(
                    [claim(f"The harbour budget rose by {figure} million crowns.", number, speaker="the outlet")],
                    headline=f"Part {chunk.index}",
                )
            )
        )
    fake_openai.push(completion(json.dumps({"headline": "Harbour budget rises", "summary": "It rose."})))
    briefing = run(fake_openai, Article(text=text), **settings)
    assert briefing.generation.chunks == len(chunks)
    assert briefing.headline == "Harbour budget rises"
    assert len(briefing.key_claims) == len(chunks)
    for key_claim, chunk in zip(briefing.key_claims, chunks, strict=True):
        assert chunk.start <= key_claim.span.start < key_claim.span.end <= chunk.end
        assert text[key_claim.span.start : key_claim.span.end] == key_claim.evidence
    merge = fake_openai.requests[-1]["messages"][1]["content"]
    assert all(f"Part {chunk.index}" in merge for chunk in chunks)
    assert briefing.generation.usage.requests == len(chunks) + 1
    assert len(briefing.actors) == 1  # the same actor from every chunk, merged


def test_failure_reports_usage_of_the_whole_run(fake_openai: FakeOpenAI) -> None:
    fake_openai.push(*[completion("not json", prompt_tokens=100, completion_tokens=5) for _ in range(3)])
    with pytest.raises(InvalidOutputError) as caught:
        run(fake_openai, Article(text=ARTICLE))
    assert caught.value.usage is not None and caught.value.usage.prompt_tokens == 300


def test_empty_article_is_refused_before_any_request(fake_openai: FakeOpenAI) -> None:
    from briefer._errors import InputError

    with pytest.raises(InputError, match="no text"):
        run(fake_openai, Article(text="  \n "))
    assert fake_openai.requests == []


def test_a_copied_quotation_is_restated_from_its_passage_alone(fake_openai: FakeOpenAI) -> None:
    copied = (
        "We cannot take chances with people’s lives, said Mayor Ines Carvalho, adding that the closure would last "
        "at least eight months."
    )
    restated = "Mayor Ines Carvalho said the closure would last at least eight months."
    fake_openai.push(
        completion(draft([claim(copied, 2)])),
        completion(json.dumps({"claims": [{"passage": 1, "statement": restated}]})),
    )
    briefing = run(fake_openai, Article(text=ARTICLE))
    assert [c.statement for c in briefing.key_claims] == [restated]
    assert briefing.key_claims[0].repaired and briefing.grounding.passed_first_time == 0
    restate = fake_openai.requests[1]["messages"]
    assert "at most 15 words" in restate[0]["content"]
    assert "1. “We cannot take chances" in restate[1]["content"]
    assert "HARBOUR CITY" not in restate[1]["content"]  # only the passage, not the article


def test_the_outlets_own_reporting_reused_word_for_word_is_published_and_counted(fake_openai: FakeOpenAI) -> None:
    copied = "Engineers found corrosion in 14 of the bridge's 40 support cables, according to the inspection report."
    fake_openai.push(completion(draft([claim(copied, 3, speaker="the outlet", kind="outlet_assertion")])))
    briefing = run(fake_openai, Article(text=ARTICLE))
    assert [c.statement for c in briefing.key_claims] == [copied]
    assert briefing.grounding.passed_first_time == 1 and briefing.grounding.reused_wording == 1
    assert len(fake_openai.requests) == 1  # no re-ask


def test_a_claim_citing_the_wrong_sentence_gets_the_sentence_that_supports_it(fake_openai: FakeOpenAI) -> None:
    statement = "Engineers found corroded cables: 14 of the 40."
    fake_openai.push(completion(draft([claim(statement, 4, speaker="the outlet", kind="outlet_assertion")])))
    briefing = run(fake_openai, Article(text=ARTICLE))
    [published] = briefing.key_claims
    assert published.sentences == [3] and published.claimed_sentences == [4] and not published.repaired
    assert published.evidence.startswith("Engineers found corrosion in 14")
    assert briefing.grounding.relocated == 1 and briefing.grounding.passed_first_time == 0
    assert len(fake_openai.requests) == 1  # found by briefer, not re-asked


def test_a_claim_no_sentence_supports_is_not_relocated(fake_openai: FakeOpenAI) -> None:
    invented = "Engineers found corrosion in 19 of the bridge's 40 support cables."
    fake_openai.push(
        completion(draft([claim(invented, 4, speaker="the outlet", kind="outlet_assertion")])),
        completion(json.dumps({"claims": []})),
    )
    briefing = run(fake_openai, Article(text=ARTICLE))
    assert briefing.key_claims == [] and briefing.grounding.relocated == 0
    assert briefing.grounding.dropped_by_reason == {DropReason.UNSUPPORTED: 1}
