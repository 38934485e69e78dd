"""What a morning run owes its reader: every article it could not brief, kept until briefed or failed for good.

A transient failure (endpoint down, rate limit, timeout) and an article left out by ``--max-articles`` or
``--max-cost`` are briefed by the next run over the same sources whatever its ``since``. Bad output (invalid,
truncated, refused) is a strike; the second strike fails the article for good: it is listed with its reason
once more, then no longer asked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefer._errors import EndpointError, LLMError
from briefer._models import Article, FailedSource
from briefer._store import Store

__all__ = ["Ledger", "article_name"]


def article_name(article: Article) -> str:
    """How a failure names its article: where it came from, else its title, else its hash."""
    source = article.source
    return source.url or source.path or source.title or article.content_hash[:12]


class Ledger:
    """The state store's pending articles for one source list, and the failures this run reports."""

    def __init__(self, store: Store, sources_key: str, failures: list[FailedSource]) -> None:
        self.store = store
        self.key = sources_key
        self.pending = {p.article.content_hash: p for p in store.pending_articles(sources_key)}
        self.failures = failures  # the run's list: failures are reported in the order they happen
        self.errors: list[LLMError] = []

    def owes(self, article: Article) -> bool:
        """True when an earlier run could not brief this article and it is to be tried again."""
        pending = self.pending.get(article.content_hash)
        return pending is not None and pending.status == "retry"

    def owed(self, collected: Iterable[Article]) -> list[Article]:
        """The articles to try again that this run's sources did not yield (old, or gone from the feed)."""
        have = {article.content_hash for article in collected}
        return [p.article for h, p in self.pending.items() if p.status == "retry" and h not in have]

    def list_final_failures(self, collected: Iterable[Article]) -> None:
        """List once more the articles that failed for good and that this run did not collect."""
        have = {article.content_hash for article in collected}
        for digest, pending in self.pending.items():
            if pending.status == "failed" and not pending.shown and digest not in have:
                self._report(pending.article, f"{pending.reason} (failed for good; not asked again)")
                self.store.mark_shown(self.key, digest)

    def failed_for_good(self, article: Article) -> bool:
        """True (and listed) when this article already failed for good: it is not asked for again."""
        pending = self.pending.get(article.content_hash)
        if pending is None or pending.status != "failed":
            return False
        self._report(article, f"{pending.reason} (failed for good; not asked again)")
        self.store.mark_shown(self.key, article.content_hash)
        return True

    def briefed(self, article: Article) -> None:
        """The article has its briefing: nothing is owed for it."""
        if article.content_hash in self.pending:
            self.store.resolve(self.key, article.content_hash)

    def defer(self, article: Article, reason: str) -> None:
        """Leave the article for the next run (no strike against it)."""
        self.store.record_failure(self.key, article, reason, strike=False)

    def failed(self, article: Article, error: LLMError) -> None:
        """Record a failed briefing: an endpoint's trouble is retried, bad output counts a strike."""
        transient = isinstance(error, EndpointError)
        final = self.store.record_failure(self.key, article, str(error), strike=not transient)
        note = "failed for good: bad output twice" if final else "tried again on the next run"
        self._report(article, f"{error} ({note})")
        self.errors.append(error)

    def _report(self, article: Article, error: str) -> None:
        self.failures.append(FailedSource(source=article_name(article), error=error))
