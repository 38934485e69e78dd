"""The one line that says what happened to the proposed claims."""

from __future__ import annotations

from briefer._models import DropReason, GroundingReport
from briefer._render.report import grounding_line


def test_the_line_counts_repairs_relocations_and_reused_wording() -> None:
    report = GroundingReport(
        proposed=9,
        published=6,
        repaired=2,
        relocated=1,
        reused_wording=3,
        dropped=3,
        dropped_by_reason={DropReason.UNSUPPORTED: 2, DropReason.BAD_PROSE: 1},
    )
    assert grounding_line(report) == (
        "6 of 9 proposed claims published (2 after a re-ask; 1 with the sentences briefer found for them; "
        "3 in the outlet's own words); 3 dropped (1 not clean prose, 2 not supported by the cited sentences)."
    )


def test_a_clean_run_says_only_what_was_published() -> None:
    assert grounding_line(GroundingReport(proposed=4, published=4)) == "4 of 4 proposed claims published."
