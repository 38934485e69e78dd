"""Reading sources into articles, safely.

The flow, one module per step::

    sources_file  a reader's sources.toml, and what ``since`` means
    collect       many sources (folders, feeds, OPML lists, pages) into articles, failures kept per source
    source        one source (file, stdin, URL) into one article
    feeds         what a document is (feed, list, article), and the entries or feeds it lists (pure)
    article       bytes into an Article: decoding, checks, HTML to its main text (pure)
    fetch         the one HTTP client: size cap, one deadline, redirects, under the address policy
    policy        which addresses may be fetched from        connect  connecting only to those
    local         regular local files only, under the size cap
"""

from briefer._ingest.collect import Collected, collect
from briefer._ingest.fetch import USER_AGENT, FetchPolicy
from briefer._ingest.source import load_article, looks_like_url
from briefer._ingest.sources_file import SourcesFile, parse_since, read_sources_file

__all__ = [
    "USER_AGENT",
    "Collected",
    "FetchPolicy",
    "SourcesFile",
    "collect",
    "load_article",
    "looks_like_url",
    "parse_since",
    "read_sources_file",
]
