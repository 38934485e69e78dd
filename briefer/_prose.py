"""Checks on the model's own prose: clean claim statements, near-duplicates, and fallbacks built from claims.

A statement must be a sentence about its evidence: not a speaker's quotation pasted in, not a form label, not
cut off, not in a script the article does not use (the outlet's own reporting may be reused word for word).
Everything here is deterministic and model-free; the grounding of headlines, summaries and actors is in
`briefer._prose_terms`.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from briefer import _facts as facts
from briefer._prose_terms import (
    PLACEHOLDERS,
    allowed_scripts,
    foreign_script_runs,
    is_word,
    same_word,
    stem,
    ungrounded_terms,
    word_starts,
    word_tokens,
)

__all__ = [
    "fallback_headline",
    "fallback_summary",
    "quotations",
    "reuses_wording",
    "same_statement",
    "statement_problems",
    "ungrounded_terms",
]

# A run of this many words copied from the article is a copy, not a statement of one's own.
LONG_VERBATIM_RUN = 15
# Share of the shorter statement's content words the other must have to be the same claim.
SHARED_FIGURE_OVERLAP = 0.6
WORD_OVERLAP = 0.75
HEADLINE_WORDS = 15
SUMMARY_SENTENCES = 3

_FIELD_LABELS = (
    r"quotes?|quotations?|statements?|speakers?|claims?|evidence|sources?|attributions?|sentences?|headlines?"
    r"|summary|actors?|stances?|roles?|notes?|answers?|facts?"
)
# A label opening the statement ("Claim 3:", "Statement -"), or one inside it ("... Quote: ...").
_LEADING_LABEL = re.compile(rf"^\W*(?:{_FIELD_LABELS})\s*#?\d*\s*[:：]", re.IGNORECASE)
_INNER_LABEL = re.compile(
    r"\b(?:(?i:quotes?|quotation)|Statement|Speaker|Evidence|Source|Attribution|Claim\s*#?\d+)\s*[:：]"
)
# Sentence numbers as the prompt shows them ("[3]", "[2-3]"): they belong in the evidence field.
_SENTENCE_REFERENCE = re.compile(r"\[\d+(?:\s*[-–,]\s*\d+)*\]")
# A speaker tag appended in parentheses: "... (Coastline Daily)", "(Alana Whitcombe, director of ...)".
_TRAILING_TAG = re.compile(r"\(\s*([A-Z][^()\d]{2,100}|unattributed|the outlet|outlet|unknown)\)\W*$")
_QUOTED = re.compile(
    r"“[^“”]*”|\"[^\"]*\"|(?<![\w’'])‘[^‘’]*’(?!\w)|(?<![\w’'])'(?=\w)[^'\n]*?(?<=[\w.,!?])'(?!\w)"
    r"|«[^«»]*»|「[^「」]*」|『[^『』]*』|„[^„“]*“"
)
_SENTENCE_END = re.compile(r"[.!?。！？)\]”’\"'»」』]\s*$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
_LAST_WORD = re.compile(r"([^\W\d_]+)\s*$")
# A statement ending on one of these words stops mid-sentence ("..., a", "... of the").
_DANGLING = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "of", "to", "with", "for", "from", "by", "at", "as", "than",
     "that", "whose", "whether", "its", "their", "his", "her", "our", "my", "your", "into", "onto", "about",
     "between", "including", "because", "while", "if", "who", "which", "whom", "was", "were", "is", "are", "be",
     "been", "being", "will", "would", "can", "could", "shall", "should", "may", "might", "must", "has", "have",
     "had", "does", "did"]
)  # fmt: skip
# The speaker's own voice: a statement reports what was said, so "I", "we" or "you" outside quotation marks is the
# quotation turned into a statement ("I am considering my options" for her lawyer's "considering his options").
_FIRST_PERSON = re.compile(
    r"\b(?:I|I['’](?:m|ve|ll|d)|(?i:me|my|mine|myself|we|we['’](?:re|ve|ll|d)|our|ours|ourselves"
    r"|you|you['’](?:re|ve|ll|d)|your|yours|yourself))\b|\bus\b"
)


QUOTATION_RUN = 4  # words of a quotation that, making up most of a statement, make it the quotation itself
LONG_QUOTATION_RUN = 10  # words of a quotation, copied without their marks, that make a statement a pasted quote


def quotations(text: str) -> list[tuple[int, int]]:
    """Where the text's quotations stand, marks included: (start, end) offsets."""
    return [match.span() for match in _QUOTED.finditer(text)]


def statement_problems(statement: str, evidence: str, article_text: str) -> list[str]:
    """What is wrong with a claim statement as the model's own sentence about `evidence`; [] when clean."""
    text = " ".join(statement.split())
    if not any(char.isalnum() for char in text):
        return ["the statement is empty"]
    if text.casefold().strip(" .") in PLACEHOLDERS:
        return [f"the statement is a placeholder ({text!r}), not a sentence"]
    return [
        *_label_problems(text, article_text),
        *_pasting_problems(text, evidence, article_text),
        *_cut_off_problems(text, evidence, article_text),
        *_voice_problems(text),
        *_debris_problems(text, article_text),
        *_script_problems(text, article_text),
    ]


def _label_problems(text: str, article_text: str) -> list[str]:
    """Form labels, sentence numbers and speaker tags that belong in other fields."""
    problems = []
    label = _LEADING_LABEL.search(text) or _INNER_LABEL.search(text)
    if label:
        problems.append(f"it contains the label {label.group().strip()!r}: write the claim as a plain sentence")
    reference = _SENTENCE_REFERENCE.search(text)
    if reference and reference.group() not in article_text:
        problems.append(f"it cites sentence {reference.group()} in the text: sentence numbers go in the evidence")
    tag = _TRAILING_TAG.search(text)
    if tag and _is_speaker_tag(text[: tag.start()], tag.group(1), article_text):
        problems.append(f"it ends with a speaker tag {tag.group().strip()!r}: the speaker has its own field")
    return problems


def _is_speaker_tag(before: str, inner: str, article_text: str) -> bool:
    """Whether a closing parenthesis names a speaker, not an acronym or its expansion ("MPC (Monetary ...)")."""
    words = before.split()
    previous = words[-1].strip(",.;:") if words else ""
    initials = "".join(word[0] for word in inner.split() if word[0].isupper())
    acronym = inner.isupper() or (previous.isupper() and previous in (initials, inner))
    return not acronym and f"({inner})" not in article_text


def _pasting_problems(text: str, evidence: str, article_text: str) -> list[str]:
    """A speaker's quotation pasted in instead of stated, with or without its marks.

    The article's own reporting reused word for word ("Osei said the committee expected inflation to ...") is
    the outlet's account, faithful and attributed, and is allowed (counted by ``reuses_wording``); a speaker's
    quoted words without their marks, or a statement that is mostly a quotation, are not the model's sentence.
    """
    words = word_tokens(text)
    quoted = sum(len(word_tokens(match.group())) for match in _QUOTED.finditer(text))
    if words and quoted * 2 > len(words):
        return [
            f"it is mostly a quotation ({quoted} of {len(words)} words in quotation marks): "
            "state the claim in your own words"
        ]
    unmarked = word_tokens(_QUOTED.sub(" ", text))
    article = _article(article_text)
    run = article.longest_common_run(words)  # the evidence is part of the article
    copied_from_quotations = article.quoted_runs(unmarked)
    spaced = len(text.split()) >= QUOTATION_RUN
    # (in scripts written without spaces, reported speech reuses the quoted phrase itself: left to the copy check)
    if (spaced and max(copied_from_quotations, default=0) >= LONG_QUOTATION_RUN) or (
        run >= LONG_VERBATIM_RUN and sum(copied_from_quotations) >= QUOTATION_RUN
    ):
        return [
            f"it copies {run} words of the article verbatim, a speaker's quoted words among them without their marks: "
            "state the claim in your own words"
        ]
    if spaced and _words_from_quotations(words, evidence) >= max(QUOTATION_RUN, 0.7 * len(words)):
        return ["it repeats the speaker's quotation: say what they said, in reported speech"]
    return []


@dataclass(frozen=True)
class _Article:
    """An article's words as the copy checks compare them, read once for all the statements checked against it."""

    words: tuple[str, ...]  # casefolded
    inside: tuple[bool, ...]  # whether each word stands inside one of the article's quotations
    matcher: difflib.SequenceMatcher[str]  # the article's words as its second sequence
    lock: threading.Lock  # the matcher is shared: one statement at a time (briefer may run in threads)

    def longest_common_run(self, words: Sequence[str]) -> int:
        """``_longest_common_run(words, word_tokens(article_text))``, without indexing the article again."""
        if not words or not self.words:
            return 0
        with self.lock:
            self.matcher.set_seq1([word.casefold() for word in words])
            return self.matcher.find_longest_match(0, len(words), 0, len(self.words)).size

    def quoted_runs(self, words: Sequence[str]) -> list[int]:
        """The runs (of QUOTATION_RUN words or more) the statement copies from inside the article's quotations."""
        with self.lock:
            self.matcher.set_seq1([word.casefold() for word in words])
            blocks = self.matcher.get_matching_blocks()
        runs = [sum(self.inside[b.b : b.b + b.size]) for b in blocks if b.size >= QUOTATION_RUN]
        return [run for run in runs if run >= QUOTATION_RUN]


# Every statement of an article (and of its story) is checked against the article's whole text.
@lru_cache(maxsize=64)
def _article(article_text: str) -> _Article:
    spans = quotations(article_text)
    inside = tuple(any(start <= at < end for start, end in spans) for at in word_starts(article_text))
    words = tuple(word.casefold() for word in word_tokens(article_text))
    return _Article(words, inside, difflib.SequenceMatcher(None, (), words, autojunk=False), threading.Lock())


def reuses_wording(statement: str, evidence: str) -> bool:
    """Whether a statement reuses a long run of its evidence's words (the outlet's reporting, not a quotation)."""
    return _longest_common_run(word_tokens(statement), word_tokens(evidence)) >= LONG_VERBATIM_RUN


def _words_from_quotations(words: Sequence[str], evidence: str) -> int:
    """How many of the statement's words are runs (of QUOTATION_RUN or more) taken from the evidence's quotations."""
    folded = [word.casefold() for word in words]
    taken = 0
    for quotation in _QUOTED.finditer(evidence):
        source = [word.casefold() for word in word_tokens(quotation.group())]
        matcher = difflib.SequenceMatcher(None, folded, source, autojunk=False)
        taken += sum(block.size for block in matcher.get_matching_blocks() if block.size >= QUOTATION_RUN)
    return min(taken, len(folded))


def _longest_common_run(words: Sequence[str], source_words: Sequence[str]) -> int:
    """Length of the longest run of words that `words` and `source_words` share, case-insensitively."""
    if not words or not source_words:
        return 0
    folded = [word.casefold() for word in words]
    source = [word.casefold() for word in source_words]
    matcher = difflib.SequenceMatcher(None, folded, source, autojunk=False)
    return matcher.find_longest_match(0, len(folded), 0, len(source)).size


def _cut_off_problems(text: str, evidence: str, article_text: str) -> list[str]:
    """A statement that stops mid-word, mid-sentence or inside a quotation."""
    problems = []
    if text.count('"') % 2 or text.count("“") > text.count("”") or text.count("«") > text.count("»"):
        problems.append("it opens a quotation it never closes: it looks cut off")
    if _ELLIPSIS.search(text):
        problems.append("it ends with an ellipsis: it looks cut off")
        return problems
    last = _LAST_WORD.search(text)
    if _SENTENCE_END.search(text) or not last or foreign_script_runs(last.group(1), {"Latin"}):
        return problems
    word = last.group(1)
    if word.casefold() in _DANGLING:
        problems.append(f"it ends mid-sentence, on {word!r}")
    elif _is_cut_word(word, evidence, article_text):
        problems.append(f"it ends mid-word, on {word!r}")
    return problems


def _is_cut_word(word: str, evidence: str, article_text: str) -> bool:
    """Whether `word` is the start of one of the evidence's words rather than a word of its own."""
    folded = word.casefold()
    if len(folded) >= 4 and is_word(folded):
        return False  # "plan" is a word, even beside the evidence's "plant"
    article_words = set(_article(article_text).words)
    if folded in article_words or any(same_word(folded, other) for other in article_words):
        return False
    evidence_words = {token.casefold() for token in word_tokens(evidence)}
    return any(other.startswith(folded) and stem(other) != stem(folded) for other in evidence_words)


def _debris_problems(text: str, article_text: str) -> list[str]:
    """Pieces of the answer's JSON, or a closing quotation mark with no opening one: the statement ran over."""
    problems = []
    unreferenced = _SENTENCE_REFERENCE.sub(" ", text)  # "[4]" has its own, clearer problem
    debris = sorted({char for char in unreferenced if char in "{}[]" and char not in article_text})
    if debris:
        problems.append(f"it contains {''.join(debris)!r}, pieces of the answer's format: write a plain sentence")
    if any(text.count(close) > text.count(open_) for open_, close in ("“”", "«»", "「」", "『』")):
        problems.append("it closes a quotation it never opened: it ran on past the statement")
    return problems


def _voice_problems(text: str) -> list[str]:
    """A statement in the first or second person, outside quotation marks: the speaker's words, not a report."""
    found = _FIRST_PERSON.search(_QUOTED.sub(" ", text))
    if found is None:
        return []
    return [f"it speaks in the speaker's voice ({found.group()!r}): report who said what, in the third person"]


def _script_problems(text: str, article_text: str) -> list[str]:
    """Writing in a script the article does not use (Latin is always allowed: the prompts are in English)."""
    runs = foreign_script_runs(text, allowed_scripts(facts.scripts(article_text)))
    if not runs:
        return []
    shown = ", ".join(repr(run) for run in runs[:3])
    return [f"it is partly written in a script the article does not use: {shown}"]


def same_statement(a: str, b: str) -> bool:
    """Whether two statements say the same thing (to merge them), not two different facts."""
    if " ".join(a.casefold().split()) == " ".join(b.casefold().split()):
        return True
    figures_a, figures_b = _figures(a), _figures(b)
    if figures_a and figures_b and not figures_a & figures_b:
        return False  # "cut to 3.5%" and "inflation at 2%": two facts
    if bool(facts.negations(a)) != bool(facts.negations(b)):
        return False
    names_a = {facts.normalise_name(name) for name in facts.proper_names(a)}
    names_b = {facts.normalise_name(name) for name in facts.proper_names(b)}
    if names_a and names_b and not names_a & names_b:
        return False
    words_a, words_b = _meaning_words(a), _meaning_words(b)
    if not words_a or not words_b:
        return bool(figures_a & figures_b) and not (words_a or words_b)
    overlap = len(words_a & words_b) / min(len(words_a), len(words_b))
    # A figure both share is strong evidence of one fact; without one, ask for more shared wording.
    return overlap >= (SHARED_FIGURE_OVERLAP if figures_a & figures_b else WORD_OVERLAP)


def _figures(text: str) -> set[str]:
    """The numbers (with units) and dates of a statement, in comparable form."""
    found = {f"{number.value:g} {number.unit}" for number in facts.numbers(text)}
    return found | {f"{date.kind} {date.value}" for date in facts.dates(text)}


# Words news writing uses interchangeably for one event, as Snowball stems; mapped onto one representative.
_SYNONYMS = {
    "lower": "cut", "reduc": "cut", "slash": "cut", "trim": "cut",
    "rais": "increas", "hike": "increas", "lift": "increas", "boost": "increas",
    "hous": "home", "hospitalis": "hospit", "hospitaliz": "hospit",
    "start": "begin", "approv": "pass", "vote": "pass",
}  # fmt: skip


def _meaning_words(text: str) -> set[str]:
    """Stemmed content words, the numbers' words left out, with common news synonyms folded together."""
    for number in facts.numbers(text):
        text = text[: number.start] + " " * (number.end - number.start) + text[number.end :]
    return {_SYNONYMS.get(stem(word), stem(word)) for word in facts.content_words(text)}


def fallback_headline(title: str | None, claims: Sequence[str]) -> str:
    """A headline when the model's fails twice: the article's own title, else its first short verified claim."""
    if title and title.strip():
        return " ".join(title.split())
    statements = [_sentence(claim).rstrip(".") for claim in claims if claim.strip()]
    for statement in statements[:SUMMARY_SENTENCES]:
        if len(statement.split()) <= HEADLINE_WORDS:
            return statement
    if statements:
        return " ".join(statements[0].split()[:HEADLINE_WORDS]).rstrip(",;:") + "…"
    return "Untitled"


def fallback_summary(claims: Sequence[str]) -> str:
    """A summary when the model's fails twice: up to three verified claims, near-duplicates left out."""
    chosen: list[str] = []
    for claim in claims:
        if claim.strip() and not any(same_statement(claim, other) for other in chosen):
            chosen.append(claim)
        if len(chosen) == SUMMARY_SENTENCES:
            break
    return " ".join(_sentence(claim) for claim in chosen)


def _sentence(statement: str) -> str:
    """A statement as a sentence: single spaces, a capital first letter and a closing full stop."""
    text = " ".join(statement.split())
    text = text[:1].upper() + text[1:]
    return text if _SENTENCE_END.search(text) else text + "."
