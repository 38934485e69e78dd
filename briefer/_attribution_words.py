"""The words speaker attribution reads: cues, titles and roles, organisations, and what each word can be in a name."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ABBREVIATION",
    "ADVERBS",
    "AFFILIATIONS",
    "ANAPHORIC_OPENERS",
    "ANONYMITY",
    "CJK_CHUNK",
    "CJK_LEAD",
    "CJK_PRONOUNS",
    "CJK_ROLES",
    "CJK_SETTING",
    "CJK_TAIL",
    "CLAUSE_START",
    "CONNECTORS",
    "DETERMINERS",
    "EN_CUE",
    "GENERIC",
    "JA_CUE",
    "LOCATORS",
    "NOUN_LIKE",
    "ORGS",
    "PERSONAL_PRONOUNS",
    "PORTFOLIOS",
    "PREPOSITIONS",
    "PRONOUNS",
    "WORD",
    "ZH_CUE",
    "bare",
    "has_cjk",
    "is_document",
    "is_name_word",
    "is_org",
    "is_possessive",
    "is_role",
    "kind",
    "plain_words",
    "singular",
]


def _words(listed: str) -> frozenset[str]:
    return frozenset(listed.split())


WORD = re.compile(r"[^\W_][\w'’.\-]*")
ABBREVIATION = re.compile(r"(?:[^\W\d_]\.)+|(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Prof|Capt)\.")
_VERBS = _words("""said says say told tells added adds stated states wrote writes asked asks warned warns noted notes
announced announces explained explains insisted insists claimed claims argued argues reported reports cautioned
cautions stressed stresses confirmed confirms denied denies acknowledged acknowledges admitted admits replied replies
responded responds urged urges declared declares emphasised emphasized emphasises emphasizes tweeted posted testified
conceded predicted recalled commented suggested vowed promised pledged observed maintains countered contended
estimated forecast called calls described criticised criticized condemned welcomed dismissed""")
# Forms that are also plural nouns ("Russian claims of progress"): a cue only when a clause follows.
NOUN_LIKE = _words("says states notes claims reports comments remarks calls")
CLAUSE_START = _words("that the a an it he she they we this there its his her their")
EN_CUE = re.compile(
    r"(?<![\w'’\-])(?:(?P<fwd>[Aa]ccording to)|(?P<verb>"
    + "|".join(sorted(_VERBS, key=len, reverse=True))
    + r"))(?![\w'’\-])(?P<tail>\s+(?:in|during|at) (?:a|an|its|his|her|their|the) (?:joint |written )?(?:statement|"
    r"readout|interview|post|press release|news conference|press conference|briefing|speech|letter|email|tweet)"
    r"|\s+(?:reporters|journalists))?"
)
ZH_CUE = re.compile(
    r"表示|指出|强调|透露|介绍|宣布|告诉|回应|坦言|声称|警告|报道|提醒|呼吁|补充|承认|否认|解释"
    r"|(?<![小据听所])说(?![明服法])|称(?![为赞号作呼之])"
)
JA_CUE = re.compile(
    r"と(?:述べ|語っ|話し|説明し|強調し|明らかにし|発表し|指摘し|主張し|訴え)(?:た|ている|ました)|によ(?:ると|れば)"
)
# The run of characters before a Chinese cue that names the speaker, and what to trim from it.
CJK_CHUNK = re.compile(r"[^，。！？；：、,.!?;:\s\ufffc“”「」『』（）()]{1,24}$")
CJK_LEAD = re.compile(r"^(?:据|在|\d+月\d+日|\d+日|周.|星期.|今天|昨天|当天|日前|此前|随后)+")
CJK_TAIL = re.compile(r"(?:也|还|则|已|都|均|又|亦|曾|同时|再次|随后|对此|当天|今天|昨天|\d+月|\d+日)+$")
# Where and when the speaker spoke ("王海涛在当天下午的新闻发布会上说"): not part of the name.
CJK_SETTING = re.compile(r"(?<=.)在.*$")
CJK_ROLES = re.compile(
    "发言人|总统|主席|总理|部长|外长|首相|大臣|官员|秘书长|局长|主任|负责人|大使|市长|省长|书记|司令|教授|专家|"
    "董事长|总裁|记者|官房長官|長官|社長|知事|議員|委員長|報道官|代表|会长|院长"
)
CJK_PRONOUNS = _words("他 她 他们 她们 它 它们 彼 彼女 彼ら")
_ROLES = _words("""president vice-president prime minister premier chancellor secretary secretary-general spokesman
spokeswoman spokesperson spokespeople official officer governor mayor senator congressman congresswoman lawmaker
ambassador envoy diplomat general commander chief director head chairman chairwoman chair ceo executive founder
adviser advisor aide correspondent reporter analyst economist expert researcher scientist professor doctor lawyer
attorney prosecutor judge inspector manager owner leader coach captain witness resident source pm mp king queen
sheriff deputy councillor councilman councilwoman commissioner superintendent trustee member prince pope mr mrs ms
dr sen
rep gov gen col lt sgt capt prof sir""")
ORGS = _words("""ministry department government administration agency police authorities company firm office
council committee commission court union party military army navy campaign board bank embassy house inc corp ltd
group university institute service authority parliament congress senate pentagon kremlin federation organisation
organization association fund reserve command forces foundation times news post press network operator utility
regulator insurer airline lender retailer broadcaster watchdog club school hospital city county industry plant
factory mill""")
# Words that continue a title ("Secretary of State", "Minister for Foreign Affairs") before the name.
PORTFOLIOS = _words("""state foreign affairs defence defense interior justice finance health home treasury trade
energy commerce education labor labour transport security homeland economy environment agriculture""")
_STOP_CAPS = _words("""however but and or so yet then now meanwhile also still despite after before when while
although though because if as in on at for from to with by of under over during since until earlier later last next
this that these those it he she they we i you his her their our its there here asked speaking according several
many some most all both few other every each no monday tuesday wednesday thursday friday saturday sunday today
yesterday tonight""")
# Words that may stand between a speaker and the cue ("Biden on Tuesday said", "Kirby has also said").
ADVERBS = _words("""also later then earlier previously again further separately recently repeatedly publicly
privately once has have had did on last this yesterday today tonight night morning afternoon evening week month
monday tuesday wednesday thursday friday saturday sunday""")
PRONOUNS = _words("he she they it we")
PERSONAL_PRONOUNS = _words("he she 他 她 彼 彼女")
# A phrase right after one of these is its object, not a speaker ("the night at the sports centre described").
PREPOSITIONS = _words("""at of for in from with on by to into about over under near across against toward towards
behind after before during through""")
# A sentence that opens with one of these continues the one before ("It's still at risk", "She declined to say").
ANAPHORIC_OPENERS = _words("he she they it it's its his her their this that these those")
# possessives and "another" open a phrase ("her office", "another resident") and, alone, are no speaker ("Another said")
DETERMINERS = _words("the a an another his her their its our my your")
# lower-case words that join clauses: a speaker phrase never runs back past one ("…, but her office said")
_CLAUSE_JOINERS = _words("but yet while whereas although though because unless since so or nor however meanwhile")
CONNECTORS = _words("of for at and de del da van von der bin al le la du dos")
AFFILIATIONS = _words("of at for")
# "a shop owner in Kushiro", "officials from the ministry": a place or body after a role word
LOCATORS = _words("in from")
ANONYMITY = _words("familiar knowledge briefed close")
_DOCUMENTS = _words("""statement readout report release transcript letter post filing memo document figure data record
estimate statistic paper survey poll study result finding analysis summary forecast projection assessment review
audit""")
GENERIC = _words(
    "the a an article outlet author reporter narrator unknown unattributed none n/a na text report writer journalist "
    "newspaper editorial staff story"
)


def kind(word: str) -> str:
    """What a word can be in a speaker phrase: det, head (name, title, organisation), connector, modifier, stop."""
    lowered = word.casefold()
    if lowered in DETERMINERS:
        return "det"
    if word[:1].isupper():
        return "stop" if lowered in _STOP_CAPS else "head"
    if is_role(bare(word)) or is_org(bare(word)):  # "the prosecutor's office"
        return "head"
    if lowered in CONNECTORS:
        return "connector"
    if lowered in _CLAUSE_JOINERS:
        return "stop"
    return "modifier" if bare(word).isalpha() else "stop"


def bare(word: str) -> str:
    """The word without a possessive ending."""
    return re.sub(r"['’]s?$", "", word)


def is_role(word: str) -> bool:
    return singular(word) in _ROLES


def is_org(word: str) -> bool:
    return singular(word) in ORGS


@lru_cache(maxsize=65536)  # asked for every word of every sentence that may name a speaker
def singular(word: str) -> str:
    """A role or organisation word without its plural ending ("officials" -> "official"); others lower-cased."""
    lowered = word.casefold().rstrip(".")
    for cut, then in (("s", ""), ("es", ""), ("ies", "y")):
        base = lowered[: -len(cut)] + then
        if lowered.endswith(cut) and (base in _ROLES or base in ORGS):
            return base
    return lowered


def is_document(word: str) -> bool:
    lowered = word.casefold()
    return lowered in _DOCUMENTS or lowered.rstrip("s") in _DOCUMENTS


def is_possessive(word: str) -> bool:
    return word.endswith(("'s", "’s", "s'", "s’"))


def is_name_word(word: str) -> bool:
    """A word of a person's name: capitalised, and no title or organisation."""
    lowered = word.casefold()
    return (
        word[:1].isupper()
        and lowered not in _STOP_CAPS
        and lowered not in DETERMINERS
        and not is_role(word)
        and not is_org(word)
    )


def plain_words(name: str) -> list[str]:
    """A name's words, case- and accent-folded, without determiners or possessive endings."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.findall(r"[^\W_]+(?:['’.\-][^\W_]+)*", folded)
    return [re.sub(r"['’]s$", "", w) for w in words if w not in DETERMINERS]


def has_cjk(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)
