"""The performance bench's peers: a naive loop (openai client + Pydantic) and instructor in a loop.

One request per article, one article after another, as the simplest working programs would. This file imports
nothing from briefer, so it runs in instructor's own virtual environment too::

    python bench/perf_peers.py naive FOLDER --base-url URL
    /work/bench-venvs/instructor/bin/python bench/perf_peers.py instructor FOLDER --base-url URL

It prints one JSON line: articles read, briefed and failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

SYSTEM = (
    "You are a careful news analyst. Brief the article the user sends: a neutral headline, a summary of at most "
    "three sentences, the key claims (each with who makes it, the claim in your own words, and the exact sentence "
    "of the article that states it as the quote), the actors it names, and the questions it leaves open."
)


class Claim(BaseModel):
    """A key claim and the sentence that states it."""

    speaker: str
    statement: str
    quote: str = Field(description="The article's sentence that states the claim, copied exactly.")


class Actor(BaseModel):
    """A person or organisation the article names."""

    name: str
    kind: str
    role: str | None
    stance: str


class Question(BaseModel):
    """A question the article leaves open."""

    question: str
    why_it_matters: str


class Briefing(BaseModel):
    """A briefing of one article."""

    headline: str
    summary: str
    key_claims: list[Claim]
    actors: list[Actor]
    open_questions: list[Question]


def _messages(text: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]


def naive(texts: list[str], base_url: str) -> tuple[int, int]:
    """The 20-line loop: structured output by json_schema, validated with Pydantic."""
    import openai  # noqa: TID251  (a peer program, not briefer: it talks to the endpoint itself)

    client = openai.OpenAI(base_url=base_url, api_key="sk-bench")
    schema = {"name": "Briefing", "schema": Briefing.model_json_schema()}
    ok = failed = 0
    for text in texts:
        try:
            completion = client.chat.completions.create(
                model="simulated",
                messages=_messages(text),  # type: ignore[arg-type]
                response_format={"type": "json_schema", "json_schema": schema},  # type: ignore[typeddict-item]
            )
            Briefing.model_validate_json(completion.choices[0].message.content or "")
            ok += 1
        except (openai.OpenAIError, ValidationError):
            failed += 1
    return ok, failed


def with_instructor(texts: list[str], base_url: str) -> tuple[int, int]:
    """instructor's documented use: from_openai, then create(response_model=...)."""
    import instructor
    import openai  # noqa: TID251  (a peer program, not briefer)

    client: Any = instructor.from_openai(openai.OpenAI(base_url=base_url, api_key="sk-bench"))
    ok = failed = 0
    for text in texts:
        try:
            client.chat.completions.create(model="simulated", response_model=Briefing, messages=_messages(text))
            ok += 1
        except Exception:  # instructor wraps retries and validation in its own exceptions
            failed += 1
    return ok, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", choices=["naive", "instructor"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args()
    texts = [path.read_text(encoding="utf-8") for path in sorted(args.folder.glob("*.txt"))]
    run = naive if args.peer == "naive" else with_instructor
    ok, failed = run(texts, args.base_url)
    json.dump({"articles": len(texts), "briefed": ok, "failed": failed}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
