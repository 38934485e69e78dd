"""briefer: grounded news briefings from an LLM; every published claim rests on sentences that support it.

    >>> import briefer
    >>> briefing = briefer.brief(open("article.txt").read(), model="gpt-4o-mini")
    >>> briefing.key_claims[0].evidence  # the article's own sentences, checked to say what the claim says

Functions: ``brief``/``abrief`` (one article), ``morning``/``amorning`` (the morning briefing of many sources),
``write_morning`` (its .md, .html and .json files), ``load_article``, ``resolve_settings``; ``recording`` and
``replaying`` (recorded model responses). Every model class a result can hold is exported here.

Names are imported lazily so that ``briefer --version`` does not pay for openai and pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from briefer._version import __version__

if TYPE_CHECKING:
    from briefer._api import abrief, amorning, brief, morning
    from briefer._config import Settings, resolve_settings
    from briefer._errors import (
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
    from briefer._ingest import load_article
    from briefer._models import (
        Actor,
        ActorKind,
        Article,
        ArticleEntry,
        AttributionKind,
        Briefing,
        CitedQuote,
        DroppedClaim,
        DropReason,
        FailedSource,
        Generation,
        GroundingReport,
        KeyClaim,
        MorningBriefing,
        NumberConflict,
        OpenQuestion,
        QuoteSpan,
        RunSummary,
        Source,
        SpeakerCheck,
        Stance,
        Story,
        StoryClaim,
        Usage,
    )
    from briefer._render.files import write_morning
    from briefer._replay import recording, replaying

__all__ = [
    "Actor",
    "ActorKind",
    "Article",
    "ArticleEntry",
    "AttributionKind",
    "BrieferError",
    "Briefing",
    "CitedQuote",
    "ConfigError",
    "DropReason",
    "DroppedClaim",
    "EndpointError",
    "FailedSource",
    "Generation",
    "GroundingReport",
    "InputError",
    "InvalidOutputError",
    "KeyClaim",
    "LLMError",
    "MorningBriefing",
    "NumberConflict",
    "OpenQuestion",
    "QuoteSpan",
    "RefusalError",
    "ReplayError",
    "RunSummary",
    "Settings",
    "Source",
    "SpeakerCheck",
    "Stance",
    "Story",
    "StoryClaim",
    "TruncatedOutputError",
    "Usage",
    "__version__",
    "abrief",
    "amorning",
    "brief",
    "load_article",
    "morning",
    "recording",
    "replaying",
    "resolve_settings",
    "write_morning",
]

_HOMES = {
    "abrief": "api",
    "amorning": "api",
    "morning": "api",
    "brief": "api",
    "Settings": "config",
    "resolve_settings": "config",
    "load_article": "ingest",
    "recording": "replay",
    "replaying": "replay",
    "write_morning": "render.files",
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
        module = importlib.import_module(f"briefer._{_HOMES.get(name, 'models')}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'briefer' has no attribute {name!r}")
