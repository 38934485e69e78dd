"""The models' own rules: what the model writes is bounded, and a summary one sentence too long is trimmed."""

from __future__ import annotations

from briefer._models import DraftBriefing, HeadlineSummary


def test_a_summary_longer_than_three_sentences_is_cut_after_the_third() -> None:
    long = "Dr. Lee spoke first. The U.S. agreed at 3.5 p.m. on Tuesday. Rates fell. A fourth sentence. A fifth."
    assert HeadlineSummary(headline="H", summary=long).summary == (
        "Dr. Lee spoke first. The U.S. agreed at 3.5 p.m. on Tuesday. Rates fell."
    )
    assert HeadlineSummary(headline="H", summary="Just one.").summary == "Just one."


def test_the_model_is_asked_for_at_least_six_claims_but_fewer_validate() -> None:
    schema = DraftBriefing.model_json_schema()
    assert schema["properties"]["key_claims"]["minItems"] == 6
    draft = DraftBriefing(headline="H", summary="S.", key_claims=[], actors=[], open_questions=[])
    assert draft.key_claims == []
