"""The simulated model's answers for the performance bench: valid JSON built from the prompt, for timing only.

Not a model and never presented as one: it reads the numbered sentences (or plain text) the prompt shows, picks
those of the form "<what>, <First Last> said." (bench/perf_corpus.py writes them), cites them by number and
writes "According to <First Last>, <what>." as the statement, which passes briefer's checks the way a good
model's answer would, so briefer does the same work as with a good model. Which answer to build is read from
the schema's property names, so briefer's prompts, the naive loop's and instructor's all get fitting answers.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["answer_for"]

_NUMBERED = re.compile(r"^\[(\d+)\] (.+)$", re.MULTILINE)
_SAID = re.compile(r"^(?P<what>.+), (?P<who>[A-Z][a-z]+ [A-Z][a-z]+) said\.$")
_STORY_CLAIM = re.compile(r"^- (A\d+) \[([\d, ]+)\] (.+) \(([^()]+)\)$", re.MULTILINE)
_PASSAGE = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MAX_CLAIMS = 6
_COMMON_OPENERS = frozenset({"a", "an", "the", "about", "insurers", "deliveries", "talks", "opponents"})
_NAMES = re.compile(r"^Names: (.*)$", re.MULTILINE)


def _said(sentence: str) -> tuple[str, str] | None:
    match = _SAID.match(sentence.strip())
    if match is None:
        return None
    what = match.group("what")
    first, _, rest = what.partition(" ")
    if first.casefold() in _COMMON_OPENERS:  # "The council ..." reads "said the council ..."; names keep capitals
        what = f"{first.casefold()} {rest}"
    return match.group("who"), what


def _statement(sentence: str) -> str | None:
    said = _said(sentence)
    return f"According to {said[0]}, {said[1]}." if said else None


def _sentences(prompt: str) -> list[tuple[int, str]]:
    """The prompt's numbered sentences, or its plain text cut into numbered sentences."""
    numbered = [(int(number), text) for number, text in _NUMBERED.findall(prompt)]
    if numbered:
        return numbered
    plain = [piece for piece in _SENTENCE_END.split(prompt) if piece.strip()]
    return list(enumerate(plain, start=1))


def _claims(prompt: str) -> list[dict[str, Any]]:
    claims = []
    for number, sentence in _sentences(prompt):
        said = _said(sentence)
        if said is not None:
            claims.append(
                {"number": number, "sentence": sentence, "speaker": said[0], "statement": _statement(sentence)}
            )
    return claims[:_MAX_CLAIMS]


def _briefing(prompt: str, claim_fields: set[str]) -> dict[str, Any]:
    claims = _claims(prompt)
    lead = claims[0] if claims else {"statement": "Officials gave few details.", "speaker": "Officials"}
    key_claims = []
    for claim in claims:
        item = {"speaker": claim["speaker"], "statement": claim["statement"]}
        if "sentences" in claim_fields:
            item |= {"sentences": [claim["number"]], "attribution": "paraphrase"}
        if "quote" in claim_fields:
            item["quote"] = claim["sentence"]
        key_claims.append(item)
    speakers = list(dict.fromkeys(claim["speaker"] for claim in claims))
    return {
        "headline": " ".join(lead["statement"].rstrip(".").split()[:12]),
        "summary": lead["statement"],
        "key_claims": key_claims,
        "actors": [
            {"name": name, "kind": "person", "role": None, "stance": f"{name} spoke about the events."}
            for name in speakers[:4]
        ],
        "open_questions": [{"question": "What caused it?", "why_it_matters": "It decides who is responsible."}],
    }


def _story(prompt: str) -> dict[str, Any]:
    lines = _STORY_CLAIM.findall(prompt)
    claims = [
        {
            "statement": statement,
            "supported_by": [{"article": article, "sentences": [int(n) for n in numbers.split(",")]}],
        }
        for article, numbers, statement, _speaker in lines[:6]
    ]
    lead = claims[0]["statement"] if claims else "Officials gave few details."
    return {
        "headline": " ".join(lead.rstrip(".").split()[:12]),
        "what_happened": lead,
        "claims": claims,
        "open_questions": [{"question": "What caused it?", "why_it_matters": "It decides who is responsible."}],
    }


def _restatements(prompt: str) -> dict[str, Any]:
    items = [(int(number), _statement(passage)) for number, passage in _PASSAGE.findall(prompt)]
    return {"claims": [{"passage": number, "statement": statement} for number, statement in items if statement]}


def _revisions(prompt: str) -> dict[str, Any]:
    claims = _claims(prompt)
    return {
        "claims": [
            {"claim": index, "sentences": [claim["number"]], "statement": claim["statement"]}
            for index, claim in enumerate(claims, start=1)
        ]
    }


def _headline(prompt: str) -> dict[str, Any]:
    facts = [line[2:] for line in prompt.splitlines() if line.startswith("- ")]
    lead = facts[0] if facts else "Officials gave few details."
    return {"headline": " ".join(lead.rstrip(".").split()[:12]), "summary": lead}


def _same_event(prompt: str) -> dict[str, Any]:
    """The same event when the two articles share most of their names."""
    first, second = ({name.strip() for name in line.split(",")} for line in [*_NAMES.findall(prompt), "", ""][:2])
    same = bool(first and second) and len(first & second) * 2 >= min(len(first), len(second))
    return {"reason": "they share most of their names" if same else "different names", "same_event": same}


def _item_fields(schema: dict[str, Any], name: str) -> set[str]:
    """The property names of the items of array property ``name`` (following $defs references)."""
    items = schema.get("properties", {}).get(name, {}).get("items", {})
    ref = items.get("$ref", "")
    if ref:
        items = schema.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {})
    return set(items.get("properties", {}))


def answer_for(schema: dict[str, Any], prompt: str) -> str:
    """A JSON answer to ``prompt`` matching ``schema`` (an object schema), as text."""
    fields = set(schema.get("properties", {}))
    answer: dict[str, Any]
    if "key_claims" in fields:
        answer = _briefing(prompt, _item_fields(schema, "key_claims"))
    elif "what_happened" in fields:
        answer = _story(prompt)
    elif "claims" in fields and "passage" in _item_fields(schema, "claims"):
        answer = _restatements(prompt)
    elif "claims" in fields:
        answer = _revisions(prompt)
    elif "same_event" in fields:
        answer = _same_event(prompt)
    else:
        answer = _headline(prompt)
    return json.dumps(answer)
