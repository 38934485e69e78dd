"""What briefer checked, in one line for a reader: the same words in Markdown, HTML and on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer._models import GroundingReport

__all__ = ["CHECKS", "grounding_line"]

# Exactly what a published claim went through; nothing more is claimed.
CHECKS = (
    "each claim cites sentences of a named article, shown in that article's own words; briefer checked that "
    "they contain the claim's numbers, names and negations and enough of its words, and that the speaker is "
    "the one the article names"
)

_REASONS = {
    "not_found": "cited sentences not in the article",
    "unsupported": "not supported by the cited sentences",
    "duplicate": "duplicate",
    "speaker_not_supported": "speaker not supported",
    "bad_prose": "not clean prose",
}


def grounding_line(report: GroundingReport) -> str:
    """Proposed, published, dropped by reason, speaker corrections and prose fallbacks, in one sentence."""
    parts = [f"{report.published} of {report.proposed} proposed claims published"]
    notes = [f"{report.repaired} after a re-ask"] if report.repaired else []
    if report.relocated:
        notes.append(f"{report.relocated} with the sentences briefer found for them")
    if report.reused_wording:
        notes.append(f"{report.reused_wording} in the outlet's own words")
    if notes:
        parts[0] += f" ({'; '.join(notes)})"
    if report.dropped:
        reasons = ", ".join(
            f"{count} {_REASONS.get(str(reason), str(reason))}"
            for reason, count in sorted(report.dropped_by_reason.items())
        )
        parts.append(f"{report.dropped} dropped ({reasons})" if reasons else f"{report.dropped} dropped")
    if report.speaker_corrections:
        s = "s" if report.speaker_corrections != 1 else ""
        parts.append(f"{report.speaker_corrections} speaker{s} corrected to the article's attribution")
    if report.prose_fallbacks:
        parts.append(f"{' and '.join(report.prose_fallbacks)} rebuilt from checked claims")
    return "; ".join(parts) + "."
