"""The faithfulness bench's own checks: gold labels, numbers and names of a text, and the measurements of a briefing.

Simple and independent of briefer's checks on purpose: a bench that reused briefer's code would agree with it.
Briefings are read as JSON dicts, in either shape of a published claim (``quote`` or ``evidence``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import simplemma
from text_to_num import alpha2digit  # type: ignore[import-untyped, unused-ignore]

HERE = Path(__file__).resolve().parent / "faithfulness"
ARTICLES = HERE / "articles"
LABELS = HERE / "labels.toml"

# Function words that start a sentence capitalised without being names (the article may never write them).
_FUNCTION_WORDS_TEXT = """
a an the he she it they we you i his her its their our this that these those there here in on at by for
from of to with as and but or nor so yet if when while after before since until although though however
also meanwhile both each every all some many most no not one
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
# Titles and generic words that say what a speaker is, not who: skipped when comparing speakers by name.
_GENERIC_SPEAKER_WORDS_TEXT = """
the of and for a an mr mrs ms dr prof official officials spokesperson spokesman spokeswoman minister
president prime secretary press chief deputy governor mayor councillor judge prosecutor lawyer director
department ministry office association said told according
"""
_GENERIC_SPEAKER_WORDS = frozenset(_GENERIC_SPEAKER_WORDS_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)(?:\s*(thousand|million|billion|trillion|bn|mn|m|k)\b|(万|亿))?", re.I)
# powers of ten of the scale words after a number ("$62m", "62 million", "12.6万")
_SCALES = {"thousand": 3, "k": 3, "million": 6, "mn": 6, "m": 6, "billion": 9, "bn": 9, "trillion": 12}
_SCALES |= {"万": 4, "亿": 8}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


# --- labels ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribution:
    """A passage of the article (exact text) and who the article says said it; ``also``: speakers a reader accepts."""

    text: str
    speaker: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A key fact (exact text of the article) and the numbers it carries."""

    text: str
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class Labels:
    """The gold labels of one article."""

    quotes: tuple[Attribution, ...]
    paraphrases: tuple[Attribution, ...]
    facts: tuple[Fact, ...]
    names: tuple[str, ...]

    @property
    def attributions(self) -> tuple[Attribution, ...]:
        """Direct quotes and paraphrases alike: every passage with a gold speaker."""
        return self.quotes + self.paraphrases


def load_labels(path: Path = LABELS) -> dict[str, Labels]:
    """Labels per article stem."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))

    def attributions(items: list[dict[str, Any]]) -> tuple[Attribution, ...]:
        return tuple(Attribution(item["text"], item["speaker"], tuple(item.get("also", ()))) for item in items)

    return {
        stem: Labels(
            quotes=attributions(entry.get("quotes", [])),
            paraphrases=attributions(entry.get("paraphrases", [])),
            facts=tuple(Fact(item["text"], tuple(item["numbers"])) for item in entry.get("facts", [])),
            names=tuple(entry.get("names", [])),
        )
        for stem, entry in raw.items()
    }


def article_paths(folder: Path = ARTICLES, only: Iterable[str] = ()) -> list[Path]:
    """The labelled articles in file-name order (only the given stems when any are named)."""
    wanted = set(only)
    return sorted(p for p in folder.glob("*.txt") if not wanted or p.stem in wanted)


# --- text facts: numbers, names, paragraphs ----------------------------------------------------------


def number_mentions(text: str) -> list[tuple[str, frozenset[Decimal]]]:
    """Each number of ``text`` as written, with its values: "1,200" = 1200, "$62m" = 62 and 62000000, "twelve" = 12."""
    written = [(m.group(0).strip(), _values(m)) for m in _NUMBER.finditer(text)]
    # spelled-out numbers, read once the written ones are gone ("62 million" would become "62 1000000")
    spelled = alpha2digit(_NUMBER.sub(" ", text), "en")
    return written + [(m.group(0).strip(), _values(m)) for m in _NUMBER.finditer(spelled)]


def _values(match: re.Match[str]) -> frozenset[Decimal]:
    digits = re.sub(r",(?=\d{3}(?!\d))", "", match.group(1))
    try:
        value = Decimal(digits.replace(",", "."))
    except InvalidOperation:
        return frozenset()
    scale = match.group(2) or match.group(3)
    return frozenset({value.normalize()} | ({value.scaleb(_SCALES[scale.lower()]).normalize()} if scale else set()))


def numbers(text: str) -> set[Decimal]:
    """Every value of every number in ``text`` (see ``number_mentions``)."""
    return {value for _, values in number_mentions(text) for value in values}


def words(text: str) -> list[str]:
    """The words of ``text``, possessive endings removed ("Kirby's" -> "Kirby"); hyphens split words."""
    return [re.sub(r"['’]s?$", "", word) for word in _WORD.findall(text)]


@dataclass(frozen=True)
class Vocabulary:
    """What an article writes: its words as written, and the words (and lemmas) it writes in lower case."""

    words: frozenset[str]
    lowercase: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Vocabulary:
        found = words(text)
        lower = {w for w in found if w == w.lower()}
        return cls(frozenset(found), frozenset(lower | {simplemma.lemmatize(w, lang="en") for w in lower}))

    def is_name(self, word: str) -> bool:
        """A capitalised word, no function word, that the article never writes in lower case.

        A word the article lacks is a name when the English dictionary does not know it or knows it capitalised
        ("Columbia"), so that a title-case headline's "Injures" is not taken for one.
        """
        if len(word) < 2 or not word[0].isupper():
            return False
        lower = word.lower()
        lemma = simplemma.lemmatize(lower, lang="en")
        if lower in _FUNCTION_WORDS or lower in self.lowercase or lemma in self.lowercase:
            return False
        return word in self.words or not simplemma.is_known(lower, lang="en") or lemma[0].isupper()


def names(text: str, vocabulary: Vocabulary) -> list[str]:
    """The proper names of ``text`` by the article's own usage (see ``Vocabulary.is_name``), in order, once each."""
    return list(dict.fromkeys(word for word in words(text) if vocabulary.is_name(word)))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph bounds: blank-line separated, or one per line when the text has no blank lines."""
    separator = r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n"
    bounds, start = [], 0
    for match in re.finditer(separator, text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def surrounding_paragraphs(text: str, start: int, end: int) -> str:
    """The text of every paragraph that the span ``start:end`` touches."""
    touched = [(a, b) for a, b in paragraphs(text) if a <= max(start, end - 1) and start <= b]
    return text[touched[0][0] : touched[-1][1]] if touched else ""


def locations(text: str, passage: str) -> list[tuple[int, int]]:
    """Every place ``passage`` stands in ``text``."""
    return [(m.start(), m.start() + len(passage)) for m in re.finditer(re.escape(passage), text)]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """How many characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# --- the checks ----------------------------------------------------------------------------------------


def claim_evidence(claim: dict[str, Any]) -> str:
    """The published evidence of a claim, in either shape: ``evidence`` (sentences) or ``quote`` (copied text)."""
    return str(claim.get("evidence") or claim.get("quote") or "")


def claim_span(claim: dict[str, Any]) -> tuple[int, int] | None:
    """The claim's evidence span, when it has one."""
    span = claim.get("span") or {}
    start, end = span.get("start"), span.get("end")
    return (start, end) if isinstance(start, int) and isinstance(end, int) else None


def unsupported_parts(statement: str, evidence: str, context: str, vocabulary: Vocabulary) -> list[str]:
    """What a statement says that its evidence lacks: numbers not in it, names not in it or its paragraph."""
    missing: list[str] = []
    have = numbers(evidence)
    missing += [written for written, values in number_mentions(statement) if not values & have]
    around = set(words(evidence)) | set(words(context))
    missing += [name for name in names(statement, vocabulary) if not any(same_name(name, word) for word in around)]
    return missing


def same_name(a: str, b: str) -> bool:
    """The same name, or forms of it that differ only at the end: "Russia" = "Russian", "Ukraine" = "Ukrainian"."""
    if a == b:
        return True
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return shared >= max(4, min(len(a), len(b)) - 1)


def speaker_key(name: str) -> str | None:
    """The word two names of the same speaker share: the last that is not a title (a surname), or a CJK name."""
    if _CJK.fullmatch(name.strip()):
        return name.strip()
    tokens = [w.lower() for w in words(name) if w.lower() not in _GENERIC_SPEAKER_WORDS]
    return tokens[-1] if tokens else None


def same_speaker(published: str, gold: Attribution) -> bool:
    """True when the published speaker names the gold speaker (or one a reader accepts) by surname or name."""
    tokens = {w.lower() for w in words(published)}
    for candidate in (gold.speaker, *gold.also):
        key = speaker_key(candidate)
        if key and (key in tokens or (_CJK.fullmatch(key) is not None and key in published)):
            return True
    return False


def gold_speaker(text: str, span: tuple[int, int], labels: Labels) -> Attribution | None:
    """The gold passage the span overlaps most, if any."""
    best, most = None, 0
    for attribution in labels.attributions:
        for place in locations(text, attribution.text):
            if (shared := overlap(span, place)) > most:
                best, most = attribution, shared
    return best


def invented_words(briefing: dict[str, Any], text: str, vocabulary: Vocabulary) -> list[str]:
    """Names and numbers in the headline and summary that the article lacks, and CJK text an article without any."""
    prose = f"{briefing.get('headline', '')}\n{briefing.get('summary', '')}"
    in_article = {w.lower() for w in vocabulary.words}
    invented = [name for name in names(prose, vocabulary) if name.lower() not in in_article]
    have = numbers(text)
    invented += [written for written, values in number_mentions(prose) if not values & have]
    if not _CJK.search(text):
        invented += _CJK.findall(prose)
    return invented


@dataclass
class ClaimCheck:
    """What the bench found about one published claim."""

    statement: str
    speaker: str
    verbatim: bool
    missing: list[str]
    duplicate: bool
    gold_speaker: str | None = None
    speaker_ok: bool | None = None


@dataclass
class ArticleResult:
    """The measurements of one article's briefing (or the error it raised)."""

    article: str
    claims: int = 0
    verbatim: int = 0
    supported: int = 0
    attributed: int = 0
    speaker_ok: int = 0
    duplicates: int = 0
    invented: list[str] = field(default_factory=list)
    facts: int = 0
    facts_covered: int = 0
    proposed: int | None = None
    dropped: int | None = None
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    error: str | None = None
    checks: list[ClaimCheck] = field(default_factory=list)


def check_claims(briefing: dict[str, Any], text: str, labels: Labels, vocabulary: Vocabulary) -> list[ClaimCheck]:
    """Every published claim checked: verbatim evidence, support, duplicate evidence, speaker against gold."""
    claims = list(briefing.get("key_claims") or [])
    spans = [claim_span(claim) for claim in claims]
    checks = []
    for i, claim in enumerate(claims):
        span, evidence = spans[i], claim_evidence(claim)
        context = surrounding_paragraphs(text, *span) if span else ""
        check = ClaimCheck(
            statement=str(claim.get("statement", "")),
            speaker=str(claim.get("speaker", "")),
            verbatim=span is not None and text[span[0] : span[1]] == evidence,
            missing=unsupported_parts(str(claim.get("statement", "")), evidence, context, vocabulary),
            duplicate=span is not None and any(o and j != i and overlap(span, o) for j, o in enumerate(spans)),
        )
        gold = gold_speaker(text, span, labels) if span else None
        if gold is not None:
            check.gold_speaker, check.speaker_ok = gold.speaker, same_speaker(check.speaker, gold)
        checks.append(check)
    return checks


def covered_facts(briefing: dict[str, Any], text: str, labels: Labels) -> int:
    """Gold facts some claim rests on (its evidence overlaps the fact) and states with all the fact's numbers."""
    covered = 0
    for fact in labels.facts:
        wanted = [numbers(n) for n in fact.numbers]
        for claim in briefing.get("key_claims") or []:
            span, said = claim_span(claim), numbers(str(claim.get("statement", "")))
            rests = span is not None and any(overlap(span, place) for place in locations(text, fact.text))
            if rests and all(forms & said for forms in wanted):
                covered += 1
                break
    return covered


def measure(name: str, briefing: dict[str, Any], text: str, labels: Labels) -> ArticleResult:
    """All the measurements of one briefing of ``text``."""
    vocabulary = Vocabulary.of(text)
    checks = check_claims(briefing, text, labels, vocabulary)
    generation = briefing.get("generation") or {}
    usage = generation.get("usage") or {}
    grounding = briefing.get("grounding") or {}
    return ArticleResult(
        article=name,
        claims=len(checks),
        verbatim=sum(c.verbatim for c in checks),
        supported=sum(not c.missing for c in checks),
        attributed=sum(c.speaker_ok is not None for c in checks),
        speaker_ok=sum(bool(c.speaker_ok) for c in checks),
        duplicates=sum(c.duplicate for c in checks),
        invented=invented_words(briefing, text, vocabulary),
        facts=len(labels.facts),
        facts_covered=covered_facts(briefing, text, labels),
        proposed=grounding.get("proposed"),
        dropped=grounding.get("dropped"),
        requests=int(usage.get("requests", 0)),
        prompt_tokens=int(usage.get("prompt_tokens", 0)),
        completion_tokens=int(usage.get("completion_tokens", 0)),
        seconds=float(generation.get("seconds", 0.0)),
        checks=checks,
    )
