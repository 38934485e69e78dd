"""No article is lost: what a run could not brief is listed, and the next run briefs it (and only it).

The fake endpoint's answers are computed from the request (tests.test_morning.answer) and its failures
are injected at random: it tests briefer's bookkeeping, and stands for no model's output.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pytest

from briefer import morning
from briefer._config import Settings
from briefer._errors import EndpointError
from tests.fake_openai import FakeOpenAI, Reply, error
from tests.test_morning import answer

NUMBER = re.compile(r"Dispatch number (\d+)")
FILE_NUMBER = re.compile(r"dispatch-(\d+)")


def invented_words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(count)]


def write_articles(folder: Path, count: int) -> list[Path]:
    """``count`` articles of invented words: no two alike, so none is a duplicate or a story of another."""
    folder.mkdir()
    rng = random.Random(8)
    paths = []
    for n in range(1, count + 1):
        sentences = [" ".join(invented_words(rng, 14)).capitalize() + "." for _ in range(3)]
        sentences[0] = f"Dispatch number {n} says the " + sentences[0]
        path = folder / f"dispatch-{n:02}.txt"
        path.write_text(f"Dispatch {n}\n\n" + "\n\n".join(sentences) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def asked_for(requests: list[dict]) -> set[int]:
    """The dispatch numbers of the articles the article requests asked about."""
    found = set()
    for request in requests:
        if "merge several outlets" not in request["messages"][0]["content"]:
            found.update(int(m.group(1)) for m in NUMBER.finditer(request["messages"][-1]["content"]))
    return found


def listed(briefing) -> set[int]:
    return {int(FILE_NUMBER.search(f.source).group(1)) for f in briefing.failed_sources}


def briefed(briefing) -> set[int]:
    return {int(FILE_NUMBER.search(a.source.path).group(1)) for a in briefing.articles}


def settings_for(fake: FakeOpenAI) -> Settings:
    # no transport retries to speak of: every injected failure fails its article
    return Settings(
        base_url=fake.base_url, api_key="k", model="fake", remember_modes=False, concurrency=4, retry_seconds=0.01
    )


def test_fifty_articles_against_a_flaky_endpoint_none_lost(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 50)
    rng = random.Random(30)

    def flaky(request: dict) -> Reply:
        if rng.random() < 0.3:
            return rng.choice([error(500, "boom", type_="server_error"), error(503, "busy"), error(429, "slow down")])
        return answer(request)

    fake_openai.responder = flaky
    first = morning([str(folder)], settings=settings_for(fake_openai))
    failed = listed(first)
    assert failed, "the injected failures failed no article: the test proves nothing"
    assert briefed(first) | failed == set(range(1, 51))
    assert not briefed(first) & failed
    assert first.summary.failed == len(failed)
    assert all(f.error.endswith("(tried again on the next run)") for f in first.failed_sources)

    fake_openai.requests.clear()
    fake_openai.responder = answer  # the endpoint has recovered
    second = morning([str(folder)], settings=settings_for(fake_openai))  # a plain run: "since the last run"
    assert asked_for(fake_openai.requests) == failed  # the failed ones, and only those
    assert briefed(second) == failed and second.summary.failed == 0

    fake_openai.requests.clear()
    third = morning([str(folder)], settings=settings_for(fake_openai))
    assert fake_openai.requests == [] and third.articles == [] and third.failed_sources == []


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Dispatches</title>{items}</channel></rss>"""
ITEM = "<item><title>Dispatch {n}</title><link>{link}</link><pubDate>Mon, 23 Nov 2026 0{n}:00:00 GMT</pubDate></item>"


def test_a_failed_article_is_retried_whatever_since_says(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "news", 3)
    feed = tmp_path / "news" / "feed.xml"
    feed.write_text(FEED.format(items="".join(ITEM.format(n=n, link=p.name) for n, p in enumerate(paths, 1))))
    fake_openai.push(error(500, "down", type_="server_error"))
    fake_openai.responder = answer
    one_at_a_time = replace(settings_for(fake_openai), concurrency=1)
    first = morning([str(feed)], settings=one_at_a_time, since="2026-11-01")
    assert listed(first) == {3}  # the newest is briefed first, and met the failure
    fake_openai.requests.clear()
    # a window that excludes every entry of the feed: the article owed is briefed all the same
    second = morning([str(feed)], settings=one_at_a_time, since="2026-11-24")
    assert asked_for(fake_openai.requests) == {3}
    assert briefed(second) == {3}


def test_all_articles_failing_is_an_error_naming_them(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_articles(folder, 3)
    fake_openai.responder = lambda request: error(500, "down", type_="server_error")
    with pytest.raises(EndpointError, match=r"no article could be briefed \(3 tried\): .*dispatch-0\d\.txt: "):
        morning([str(folder)], settings=settings_for(fake_openai))
    fake_openai.requests.clear()
    fake_openai.responder = answer
    again = morning([str(folder)], settings=settings_for(fake_openai))
    assert len(again.articles) == 3 and asked_for(fake_openai.requests) == {1, 2, 3}
