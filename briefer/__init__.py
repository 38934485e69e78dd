"""briefer: grounded news briefings from an LLM; every published claim rests on sentences that support it.

    >>> import briefer
    >>> briefing = briefer.brief(open("article.txt").read(), model="gpt-4o-mini")
    >>> briefing.key_claims[0].evidence  # the article's own sentences, checked to say what the claim says

Names are imported lazily so that ``briefer --version`` does not pay for openai and pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from briefer._version import __version__

if TYPE_CHECKING:
    from briefer.api import abrief, amorning, brief, morning
    from briefer.config import Settings, resolve_settings
    from briefer.errors import (
        BrieferError,
        ConfigError,
        EndpointError,
        InputError,
        InvalidOutputError,
        LLMError,
        RefusalError,
        ReplayError,
        TruncatedOutputError,
    )
    from briefer.ingest import load_article
    from briefer.models import (
        Actor,
        ActorKind,
        Article,
        AttributionKind,
        Briefing,
        DroppedClaim,
        Generation,
        GroundingReport,
        KeyClaim,
        MorningBriefing,
        OpenQuestion,
        QuoteSpan,
        Source,
        Story,
        Usage,
    )
    from briefer.replay import replaying

__all__ = [
    "Actor",
    "ActorKind",
    "Article",
    "AttributionKind",
    "BrieferError",
    "Briefing",
    "ConfigError",
    "DroppedClaim",
    "EndpointError",
    "Generation",
    "GroundingReport",
    "InputError",
    "InvalidOutputError",
    "KeyClaim",
    "LLMError",
    "MorningBriefing",
    "OpenQuestion",
    "QuoteSpan",
    "RefusalError",
    "ReplayError",
    "Settings",
    "Source",
    "Story",
    "TruncatedOutputError",
    "Usage",
    "__version__",
    "abrief",
    "amorning",
    "brief",
    "load_article",
    "morning",
    "replaying",
    "resolve_settings",
]

_HOMES = {
    "abrief": "api",
    "amorning": "api",
    "morning": "api",
    "brief": "api",
    "Settings": "config",
    "resolve_settings": "config",
    "load_article": "ingest",
    "replaying": "replay",
    **dict.fromkeys(
        [
            "BrieferError",
            "ConfigError",
            "EndpointError",
            "InputError",
            "InvalidOutputError",
            "LLMError",
            "RefusalError",
            "ReplayError",
            "TruncatedOutputError",
        ],
        "errors",
    ),
}


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":
        module = importlib.import_module(f"briefer.{_HOMES.get(name, 'models')}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'briefer' has no attribute {name!r}")
