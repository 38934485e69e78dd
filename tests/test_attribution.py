"""Speaker verification: who the article says spoke the evidence, and the speaker briefer publishes."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer._attribution import (
    UNATTRIBUTED,
    Attribution,
    SpeakerStatus,
    attribute,
    same_speaker,
    verify_speaker,
)
from briefer._sentences import split_sentences

DATA = Path(__file__).parent / "data" / "attribution"


def _article(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _evidence(text: str, snippet: str) -> list[int]:
    """The numbers of the sentences that hold the snippet (the evidence a model would cite for it)."""
    at = text.index(snippet)
    assert text.find(snippet, at + 1) == -1, f"snippet not unique: {snippet!r}"
    return [s.number for s in split_sentences(text) if s.start < at + len(snippet) and s.end > at]


def _who(text: str, snippet: str) -> Attribution:
    return attribute(text, split_sentences(text), _evidence(text, snippet))


# (article, a snippet of the cited sentences, the speaker the article gives them; None: the outlet's own voice)
CASES = [
    # the seed article (a real news story): the model gave Kirby's words to Biden
    ("seed-kirby.txt", "Has there been some movement", "John Kirby"),
    ("seed-kirby.txt", "Small numbers", "John Kirby"),
    ("seed-kirby.txt", "But we believe that this is a repositioning", "John Kirby"),
    ("seed-kirby.txt", "We'll see... I don't read anything", "Joe Biden"),
    ("seed-kirby.txt", "he was waiting to see what the Kremlin offers", "Joe Biden"),
    ("seed-kirby.txt", "Reports show that some", "Pentagon officials"),
    ("seed-kirby.txt", "would involve a complete withdrawal", "John Kirby"),
    ("seed-kirby.txt", "The war could end today", "John Kirby"),
    ("seed-kirby.txt", "the Russians have attempted to mislead", "John Kirby"),
    ("seed-kirby.txt", "We've seen that Russia has attempted", "John Kirby"),
    ("seed-kirby.txt", "the city can't be considered safe", "John Kirby"),
    ("seed-kirby.txt", "It's still at risk", "John Kirby"),
    ("seed-kirby.txt", "bravely stand up to this Russian aggression", "John Kirby"),
    ("seed-kirby.txt", "The leaders affirmed their determination", "White House"),
    ("seed-kirby.txt", "They reviewed their efforts", "White House"),
    ("seed-kirby.txt", "these actions are in response", "State Department"),
    ("seed-kirby.txt", "We stand unified with our partners", "State Department"),
    ("seed-kirby.txt", "violence had continued unabated", "Western intelligence officials"),
    ("seed-kirby.txt", "reacted with deep skepticism", None),
    ("seed-kirby.txt", "seemed to yield some progress", None),
    ("seed-kirby.txt", "Biden on Tuesday spoke with French president", None),
    ("seed-kirby.txt", "applauded expulsions", None),
    ("seed-kirby.txt", "expelled dozens of Russian diplomats", None),
    ("seed-kirby.txt", "Real Withdrawal From Ukraine", None),
    # a strike: a union leader, a chief executive, a minister through her spokesperson, economists
    ("port-strike.txt", "They chose to waste it", "Dana Okafor"),
    ("port-strike.txt", "Nobody wants to stand out here", "Dana Okafor"),
    ("port-strike.txt", "keep pickets in place", "Dana Okafor"),
    ("port-strike.txt", "talks could resume as early as Monday", "Dana Okafor"),
    ("port-strike.txt", "generous and it is final", "Marcus Reinholt"),
    ("port-strike.txt", "We cannot pay for a settlement", "Marcus Reinholt"),
    ("port-strike.txt", "perishable cargo would be diverted", "The authority"),
    ("port-strike.txt", "urged both sides to return to talks", "Ilse Brandvold"),
    ("port-strike.txt", "The minister has spoken to both parties", "Tomas Lehr"),
    ("port-strike.txt", "She is not going to negotiate", "Tomas Lehr"),
    ("port-strike.txt", "could cost the economy 240 million crowns", "Economists at Nordbank"),
    ("port-strike.txt", "My father said the port would never close", "Hanne Moe"),
    ("port-strike.txt", "walked off the job on Thursday", None),
    ("port-strike.txt", "The strike is the first at the port since 2009", None),
    ("port-strike.txt", "Ships were already queuing", None),
    ("port-strike.txt", "roughly a third of the country's container traffic", None),
    # a rate decision: a governor and "the governor", a bank statement, official figures, a critic's post
    ("rate-cut.txt", "Inflation is now close to target", "Amara Lindqvist"),
    ("rate-cut.txt", "That gives us room to support growth", "Amara Lindqvist"),
    ("rate-cut.txt", "further cuts were possible but not certain", "Amara Lindqvist"),
    ("rate-cut.txt", "wage growth had slowed to 3.1 percent", "The bank"),
    ("rate-cut.txt", "house prices rose 6 percent", "the national statistics office"),
    ("rate-cut.txt", "nobody should be booking a holiday", "Piet Vandersloot"),
    ("rate-cut.txt", "pause until autumn", "Piet Vandersloot"),
    ("rate-cut.txt", "called the cut overdue", "Rafael Osei"),
    ("rate-cut.txt", "Families have been paying", "Rafael Osei"),
    ("rate-cut.txt", "cut its key interest rate by a quarter point", None),
    ("rate-cut.txt", "Markets had priced in the move", None),
    ("rate-cut.txt", "The currency weakened slightly", None),
    # a wildfire: a colon before the quote, "asked" after it, "he said" and "she said", a named subject
    ("wildfire.txt", "Do not wait to see the smoke", "Lena Marsh"),
    ("wildfire.txt", "15 percent contained", "the county fire service"),
    ("wildfire.txt", "never seen a fire move so fast", "Colm Farrell"),
    ("wildfire.txt", "It's the speed of it that scares people", "Colm Farrell"),
    ("wildfire.txt", "Where do we go?", "Maria Alvarez"),
    ("wildfire.txt", "Nobody has told us where the shelter is", "Maria Alvarez"),
    ("wildfire.txt", "a shelter had opened at Dunmore High School", "Lena Marsh"),
    ("wildfire.txt", "deputies would patrol", "Tom Keller"),
    ("wildfire.txt", "the state would request federal aid", "Joan Whitby"),
    ("wildfire.txt", "These crews are exhausted", "Joan Whitby"),
    ("wildfire.txt", "About 2,000 people have been ordered out", None),
    ("wildfire.txt", "The cause of the fire is under investigation", None),
    ("wildfire.txt", "Crews were battling a fast-moving wildfire", None),
    # British single quotation marks
    ("cycle-lane.txt", "too scared to cycle to school", "Priya Nair"),
    ("cycle-lane.txt", "We will lose the parking", "Derek Hale"),
    ("cycle-lane.txt", "will cost £1.2m", None),
    ("cycle-lane.txt", "Work is due to start in September", None),
    # Chinese and Japanese: no spaces between words
    ("zh-talks.txt", "中方将继续为推动和谈发挥建设性作用", "汪文斌"),
    ("zh-talks.txt", "我们呼吁各方保持冷静克制", "汪文斌"),
    ("zh-talks.txt", "对话协商是解决危机的唯一出路", "汪文斌"),
    ("zh-talks.txt", "双方代表团将于下周在日内瓦举行新一轮会谈", "新华社"),
    ("zh-talks.txt", "两国贸易额同比增长12%", None),
    ("ja-stimulus.txt", "追加の経済対策を早急にまとめる", "岸田文雄首相"),
    ("ja-stimulus.txt", "対策の規模は10兆円を超える見通しだ", "政府関係者"),
    ("ja-stimulus.txt", "今後検討する", "松野博一官房長官"),
    ("ja-stimulus.txt", "前日比1.2%上昇した", None),
    # the project's long example article (a copy): appositions, parentheses, "the minister", documents, "it calls"
    ("grid-auction.txt", "It said $389.50.", None),
    ("grid-auction.txt", "the auction procured 38,240 megawatts", "the grid operator"),
    ("grid-auction.txt", "Several smaller gas and oil units", None),
    ("grid-auction.txt", "every option is on the table", "Celeste Varga-Moor"),
    ("grid-auction.txt", "strengthen the finances of plant owners", "Priyanka Sethuraman"),
    ("grid-auction.txt", "the payments were too low to cover", "Samira Haddad-Ruiz"),
    ("grid-auction.txt", "transformed the economics of his company", "Jonah Weatherby"),
    ("grid-auction.txt", "The industry says that is unfair", "The industry"),
    ("grid-auction.txt", "households are being asked to pay", "Ruth Pellegrino"),
    ("grid-auction.txt", "The commission approved the new accreditation", "Lorna Feeney"),
    ("grid-auction.txt", "had been briefed on the likely range", "two officials"),
    ("grid-auction.txt", "The auction did exactly what it was built to do", "Harriet Solberg"),
    ("grid-auction.txt", "Kessel's shares have risen", None),
    # six more articles, labelled before the code first ran on them (the first three found five misses, since fixed)
    ("coalition.txt", "We are closer than we were", "Katrin Vogel"),
    ("coalition.txt", "If the debt brake stays", "Jonas Albrecht"),
    ("coalition.txt", "struck a more pessimistic tone", None),
    ("coalition.txt", "61 of the 120 seats", None),
    ("coalition.txt", "wants a government in place", "Katrin Vogel"),
    ("coalition.txt", "It has to be", "Katrin Vogel"),
    ("coalition.txt", "A third round of talks", "a party spokeswoman"),
    ("coalition.txt", "54 percent of voters", "Infratest"),
    ("coalition.txt", "Voters want stability", "Miriam Kohl"),
    ("coalition.txt", "Every week of delay", "Miriam Kohl"),
    ("coalition.txt", "minority government was unlikely", "Miriam Kohl"),
    ("coalition.txt", "failed to reach a deal", None),
    ("recall.txt", "recalling about 80,000 cars", "the company"),
    ("recall.txt", "built between March 2022", None),
    ("recall.txt", "No accidents linked", "a spokesman"),
    ("recall.txt", "Safety is non-negotiable", "Lars Henningsen"),
    ("recall.txt", "replaced free of charge", "the company"),
    ("recall.txt", "first flagged by", "Handelsblatt"),
    ("recall.txt", "Consumer groups criticised", "Consumer groups"),
    ("recall.txt", "Four months is far too long", "Ute Sander"),
    ("recall.txt", "Velora shares fell", None),
    ("recall.txt", "was manageable", "Analysts at Berenberg"),
    ("recall.txt", "reputational problem", "Analysts at Berenberg"),
    ("quake.txt", "magnitude 6.1 struck", "the Japan Meteorological Agency"),
    ("quake.txt", "No tsunami warning", None),  # no cue and no pointing back: the outlet, not the agency
    ("quake.txt", "The shaking lasted", "a shop owner in Kushiro"),
    ("quake.txt", "all its plants were operating", "Hokkaido Electric Power"),
    ("court.txt", "sentenced former mayor Otto Brandt", None),
    ("court.txt", "betrayed the trust", "Renate Fuchs"),
    ("court.txt", "treated public money", "Renate Fuchs"),
    ("court.txt", "his client would appeal", "Michael Stein"),
    ("court.txt", "rests on the word of two witnesses", "Michael Stein"),
    ("court.txt", "Prosecutors had sought eight years", None),
    ("court.txt", "review the judgment", "The prosecutor's office"),
    ("court.txt", "served as mayor from 2011", None),
    ("court.txt", "received suspended sentences", None),
    ("night-shifts.txt", "30 percent more likely", None),
    ("night-shifts.txt", "followed 48,000 nurses", None),
    ("night-shifts.txt", "effect was strongest among women", "Sofie Lund"),
    ("night-shifts.txt", "an association, not a cause", "Sofie Lund"),
    ("night-shifts.txt", "regular health checks", "Sofie Lund"),
    ("night-shifts.txt", "Independent experts welcomed", "Independent experts"),
    ("night-shifts.txt", "large, well-designed study", "Alan Reyes"),
    ("night-shifts.txt", "called for limits", "The Danish Nurses' Organisation"),
    ("night-shifts.txt", "one in five workers", None),
    ("retirement.txt", "announced his retirement on Sunday", "Marco Bellini"),
    ("retirement.txt", "honour of my life", "Marco Bellini"),
    ("retirement.txt", "thank the fans", "Marco Bellini"),
    ("retirement.txt", "retire his number 9 shirt", "Fiorentina"),
    ("retirement.txt", "made his debut for Italy", None),
    ("retirement.txt", "a leader in the dressing room", "Luca Ferri"),
]


@pytest.mark.parametrize(("article", "snippet", "speaker"), CASES, ids=[f"{a}:{s[:24]}" for a, s, _ in CASES])
def test_the_article_names_the_speaker(article: str, snippet: str, speaker: str | None) -> None:
    text = _article(article)
    found = _who(text, snippet)
    assert found.name == speaker
    if speaker is None:
        return
    assert speaker in text  # the article's own wording
    assert found.cue is not None
    assert found.sentence is not None
    named = split_sentences(text)[found.sentence - 1]
    assert speaker.split()[-1] in text[named.start : named.end]  # the name stands in the sentence reported


def test_the_seed_table_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert sum(speaker is None for _, _, speaker in CASES) >= 10


def test_where_the_name_and_the_cue_were_found() -> None:
    text = _article("seed-kirby.txt")
    found = _who(text, "Small numbers")
    assert found == Attribution("John Kirby", "told reporters", _evidence(text, "Small numbers")[0])
    continuing = _who(text, "We've seen that Russia has attempted")
    assert continuing.sentence == _evidence(text, "the Russians have attempted to mislead")[0]  # an earlier paragraph
    assert _who(text, "White House said in a readout").cue == "said in a readout"


def test_evidence_of_several_sentences_and_impossible_numbers() -> None:
    text = _article("seed-kirby.txt")
    sentences = split_sentences(text)
    both = _evidence(text, "Small numbers") + _evidence(text, "But we believe that this")
    assert attribute(text, sentences, both).name == "John Kirby"
    assert attribute(text, sentences, []) == Attribution(None, None, None)
    assert attribute(text, sentences, [len(sentences) + 5]) == Attribution(None, None, None)


@pytest.mark.parametrize(
    ("text", "snippet", "speaker"),
    [
        ('"We are ready," said the Pentagon press secretary, John Kirby.', "We are ready", "John Kirby"),
        ('"We are ready," a State Department spokesman said.', "We are ready", "a State Department spokesman"),
        ("According to the ministry, 40 people were killed.", "40 people", "the ministry"),
        (
            "The talks failed, according to a statement from the Foreign Ministry.",
            "talks failed",
            "the Foreign Ministry",
        ),
        ("Secretary of State Antony Blinken said the talks had failed.", "talks had failed", "Antony Blinken"),
        ("Biden spoke with Macron, who said the talks were useful.", "talks were useful", "Macron"),
        ('The ministry called the strikes "regrettable but necessary".', "regrettable", "The ministry"),
        (
            "Foreign Minister Sergei Lavrov said the offer stood.\n\nThe minister added that time was short.",
            "time was short",
            "Sergei Lavrov",
        ),
        ('"I said no, and I meant it," Ana Ruiz told the court.', "I meant it", "Ana Ruiz"),
        ('"It is a sad day," said Jane Doe of the Red Cross.', "sad day", "Jane Doe"),
        ('Lavrov said the offer stood. Blinken, however, disagreed: "There is no offer."', "no offer", "Blinken"),
        ('"Yes," said Ann Cole.\n\nBob Rees agreed: "Absolutely, we will."', "Absolutely", "Bob Rees"),
        ("A source familiar with the matter said the deal was close.", "deal was close", "A source"),
        ("Officials with knowledge of the plan said it would cost $2bn.", "cost $2bn", "Officials"),
        ('"We are done," Smith, 54, said.', "We are done", "Smith"),
        ('Smith, a 54-year-old teacher, told the BBC: "We are done."', "We are done", "Smith"),
        ('Asked whether he would resign, Smith said: "Absolutely not."', "Absolutely not", "Smith"),
        ('"There is no plan B," Merz told lawmakers, adding that Germany would not back down.', "plan B", "Merz"),
        ("Ukraine's President Volodymyr Zelensky said the attack was a war crime.", "war crime", "Volodymyr Zelensky"),
        ("Zelensky's office said in a statement that 12 people died.", "12 people", "Zelensky's office"),
        (
            '"We will hold," Zelensky\'s chief of staff, Andriy Yermak, wrote on Telegram.',
            "We will hold",
            "Andriy Yermak",
        ),
        ('"It is over," the official, who spoke on condition of anonymity, said.', "It is over", "the official"),
        ('"It is over," one diplomat said.', "It is over", "one diplomat"),
        ('"It is over," Mr. Smith said.', "It is over", "Smith"),
        ("Police said the driver, 34, was arrested at the scene.", "arrested", "Police"),
        (
            'Kremlin spokesman Dmitry Peskov told reporters that "no decision" had been made.',
            "no decision",
            "Dmitry Peskov",
        ),
        ("The firm's chief executive, Jane Roe, said profits fell.", "profits fell", "Jane Roe"),
        ("In an interview with CNN, Smith said that talks would resume.", "talks would resume", "Smith"),
        # patterns from the example morning's articles
        (
            "BRENNICK FALLS — The owner of the Ostrander Chemical plant said Monday that 12 workers were hurt.",
            "12 workers",
            "The owner of the Ostrander Chemical plant",
        ),
        (
            'PORT HALLORAN — The Reserve Bank of Arland cut its rate, citing inflation that it said was "easing."',
            "cut its rate",
            "The Reserve Bank of Arland",
        ),
        (
            "BRENNICK FALLS — A fire tore through a storage building early Monday, the town's fire chief said.",
            "A fire tore",
            "the town's fire chief",
        ),
        (
            "Residents who spent the night at the Carrick Regional Sports Centre described a hurried departure.",
            "hurried departure",
            "Residents",
        ),
        (
            "Gail Pruett, who lives on Alder Street, about a kilometre from the plant, said she left at 3 a.m.",
            "left at 3 a.m.",
            "Gail Pruett",
        ),
        (
            "A spokeswoman for the line's operator, Southvale Networks, said the company was assisting.",
            "was assisting",
            "A spokeswoman for the line's operator",
        ),
        (
            "Governor Elspeth Marrow-Quaye said the cut was modest.\n\n"
            "Inflation eased to 2.7 percent, according to the National Statistics Office.\n\n"
            '"We are not on a preset path," she said.',
            "preset path",
            "Elspeth Marrow-Quaye",
        ),
        (
            '"We have no choice," said Hans Berg, a farmer from Lund. "The river is rising."',
            "river is rising",
            "Hans Berg",
        ),
        # Chinese (faithfulness bench): 提醒 is a cue; where the speaker spoke, and 已/则, are not the name
        ("省气象局专家周明则提醒，台风登陆后强度有所减弱。", "强度有所减弱", "周明"),
        ("市应急管理局局长王海涛在当天下午的新闻发布会上说：“所有人员都已撤离。”", "所有人员", "王海涛"),
        ("市农业农村局副局长孙丽在接受本报采访时说：“损失超过3亿元。”", "损失超过", "孙丽"),
        ("目前，全市中小学已宣布15日停课一天。", "停课一天", "全市中小学"),
        # a clause joiner ends the speaker phrase; a possessive stays with it
        ("The bridge will reopen in May, but her office said the date could slip.", "could slip", "her office"),
        ("Officials declined to comment, while the agency said the report was accurate.", "accurate", "the agency"),
        ("Police Chief Tom Reyes spoke first. And his deputy said it could take weeks.", "take weeks", "his deputy"),
        ("Another resident, Maria Lopez, said the water was brown.", "water was brown", "Maria Lopez"),
    ],
)
def test_cue_forms(text: str, snippet: str, speaker: str) -> None:
    assert _who(text, snippet).name == speaker


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("Moscow's promises to pull back were met with doubt in Kyiv.", "promises to pull back"),
        ("Russian claims of progress were dismissed as propaganda.", "Russian claims"),
        ("Kirby was asked about the talks on Tuesday.", "asked about the talks"),
        ('The so-called "special operation" entered its second month.', "second month"),
        ('"We are not leaving," he said.', "not leaving"),  # a pronoun with no one before it
        ('The crowd chanted "Out, out, out" until the police arrived.', "Out, out"),
        ('U.S. Skeptical of Russian Promises: "Real Withdrawal Is Complete Withdrawal"', "Real Withdrawal"),
        ("The plan would cost more, according to council documents.", "cost more"),
        # "Another" alone names no one ("One shop owner said … Another said …")
        ("One shop owner said the closure would ruin her. Another said the repairs were overdue.", "overdue"),
    ],
)
def test_no_speaker(text: str, snippet: str) -> None:
    assert _who(text, snippet).name is None


def test_a_pronoun_with_no_antecedent_keeps_its_cue() -> None:
    assert _who('"We are not leaving," he said.', "not leaving") == Attribution(None, "said", None)


def test_a_cue_inside_a_quote_is_the_quoted_speaker_s_words() -> None:
    text = 'The mayor spoke first.\n\n"My aide told reporters the bridge was safe," Jo Lang said. "He was wrong."'
    assert _who(text, "He was wrong").name == "Jo Lang"
    assert _who(text, "My aide told reporters").name == "Jo Lang"


def test_a_narrative_paragraph_stops_a_continuing_quote() -> None:
    text = (
        '"We will rebuild," Mayor Ada Kent said.\n\n'
        "The storm destroyed 40 homes in the valley.\n\n"
        '"Nobody was warned in time."'
    )
    assert _who(text, "Nobody was warned").name is None
    assert _who(text, "We will rebuild").name == "Ada Kent"


def test_text_without_paragraph_breaks() -> None:
    text = 'Officials met on Friday.\n"We have a deal," Premier Tao Lin said.\n"It holds until May."'
    assert _who(text, "It holds until May").name == "Tao Lin"


def test_every_attributed_name_is_in_the_article() -> None:
    for path in sorted(DATA.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences = split_sentences(text)
        for sentence in sentences:
            found = attribute(text, sentences, [sentence.number])
            assert found.name is None or found.name in text, (path.name, sentence.number, found)


# --- what briefer publishes -----------------------------------------------------------------------------------------


def test_kirby_s_words_are_not_biden_s() -> None:
    text = _article("seed-kirby.txt")
    verdict = verify_speaker("Biden", _who(text, "Small numbers"), outlet="TURAN", direct_quote=True)
    assert (verdict.speaker, verdict.status, verdict.claimed) == ("John Kirby", SpeakerStatus.CORRECTED, "Biden")


@pytest.mark.parametrize(
    ("claimed", "attribution", "outlet", "direct", "speaker", "status"),
    [
        ("Kirby", Attribution("John Kirby", "said", 8), "TURAN", True, "John Kirby", SpeakerStatus.CONFIRMED),
        ("President Joe Biden", Attribution("Joe Biden", "told", 3), None, False, "Joe Biden", SpeakerStatus.CONFIRMED),
        ("the Pentagon", Attribution("Pentagon officials", "said", 7), None, True, "Pentagon officials", "confirmed"),
        ("Joe Biden", Attribution("John Kirby", "said", 8), None, True, "John Kirby", SpeakerStatus.CORRECTED),
        ("TURAN", Attribution("John Kirby", "said", 8), "TURAN", False, "John Kirby", SpeakerStatus.CORRECTED),
        ("", Attribution("State Department", "said", 22), None, True, "State Department", SpeakerStatus.CORRECTED),
        ("Joe Biden", Attribution(None, None, None), "TURAN", True, UNATTRIBUTED, SpeakerStatus.UNATTRIBUTED),
        ("Joe Biden", Attribution(None, None, None), "TURAN", False, UNATTRIBUTED, SpeakerStatus.UNATTRIBUTED),
        ("the article", Attribution(None, None, None), "TURAN", True, UNATTRIBUTED, SpeakerStatus.UNATTRIBUTED),
        ("the article", Attribution(None, None, None), "TURAN", False, "TURAN", SpeakerStatus.OUTLET),
        ("TURAN", Attribution(None, None, None), "TURAN", False, "TURAN", SpeakerStatus.OUTLET),
        ("", Attribution(None, None, None), None, False, "the outlet", SpeakerStatus.OUTLET),
        ("the Pentagon", Attribution(None, None, None), None, False, "the outlet", SpeakerStatus.OUTLET),
        ("he", Attribution(None, "said", None), "Metro Wire", True, UNATTRIBUTED, SpeakerStatus.UNATTRIBUTED),
    ],
)
def test_verify_speaker(
    claimed: str, attribution: Attribution, outlet: str | None, direct: bool, speaker: str, status: str
) -> None:
    verdict = verify_speaker(claimed, attribution, outlet=outlet, direct_quote=direct)
    assert (verdict.speaker, verdict.status, verdict.claimed) == (speaker, status, claimed)


def test_the_published_speaker_is_never_the_model_s_unsupported_name() -> None:
    text = _article("port-strike.txt")
    sentences = split_sentences(text)
    for sentence in sentences:
        found = attribute(text, sentences, [sentence.number])
        for claimed in ("Boris Johnson", "Dana Okafor", "the port authority", ""):
            verdict = verify_speaker(claimed, found, outlet="Halvern Post", direct_quote=False)
            assert verdict.speaker in (found.name, UNATTRIBUTED, "Halvern Post")
            assert verdict.speaker != "Boris Johnson"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Biden", "President Joe Biden", True),
        ("Joe Biden", "President Joe Biden", True),
        ("Kirby", "Biden", False),
        ("the Pentagon", "Pentagon officials", True),
        ("John Kirby", "Pentagon Press Secretary John Kirby", True),
        ("John Kirby", "John Smith", False),
        ("Pentagon", "Pentagon Press Secretary John Kirby", False),
        ("Antony Blinken", "Secretary of State Antony Blinken", True),
        ("Mr. Putin", "Vladimir Putin", True),
        ("the ministry", "a spokesperson for the ministry", True),
        ("the Defence Ministry", "the Foreign Ministry", False),
        ("the spokesman", "a spokesman", True),
        ("the spokesman", "the minister", False),
        ("Emmanuel Macron", "French president Emmanuel Macron", True),
        ("José Álvarez", "Jose Alvarez", True),
        ("汪文斌", "外交部发言人汪文斌", True),
        ("岸田首相", "岸田文雄首相", True),
        ("汪文斌", "岸田文雄首相", False),
        ("", "Joe Biden", False),
        ("Kushiro", "a shop owner in Kushiro", False),
        ("the shop owner", "a shop owner in Kushiro", True),
        ("Jane Doe", "Jane Doe of the Red Cross", True),
        ("Bank of England", "Bank of Japan", False),
        ("Consumer groups", "consumer group", True),
    ],
)
def test_same_speaker(a: str, b: str, same: bool) -> None:
    assert same_speaker(a, b) is same
    assert same_speaker(b, a) is same


@pytest.mark.parametrize(
    "text",
    [
        "Not everyone is convinced the numbers mean as much as the company says.",
        "Turnout was far higher than officials said it would be.",
    ],
)
def test_a_comparison_with_what_someone_says_names_no_speaker(text: str) -> None:
    assert attribute(text, split_sentences(text), [1]).name is None
