"""Quantities, contradictions between a statement and its evidence, and figures that differ between outlets."""

import tomllib
from pathlib import Path

from briefer._figures import FigureConflict, Mention, contradicts, figure_conflicts, quantities, same_quantity
from briefer._ingest import load_article
from briefer._sentences import split_sentences

EXAMPLE = Path(__file__).parent.parent / "examples" / "morning"


def one(text: str):  # type: ignore[no-untyped-def]
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


def mentions_of(outlet: str, text: str, article: str = "") -> list[Mention]:
    """Every quantity of ``text``, one sentence per line, as mentions by ``outlet``."""
    found: list[Mention] = []
    start = 0
    for line in text.splitlines(keepends=True):
        found += [Mention(article or outlet, outlet, start, start + len(line), q) for q in quantities(line)]
        start += len(line)
    return found


def test_quantities_know_what_they_count() -> None:
    quantity = one("Seventeen workers were being treated in hospital on Monday, officials said.")
    assert (quantity.value, quantity.unit, quantity.text) == (17, None, "Seventeen")
    assert {"worker", "hospital"} <= quantity.about
    assert "monday" not in quantity.about  # a date says when, not what
    zone = one("Corran County officials said the evacuation zone covers a radius of 3 kilometres around the plant.")
    assert (zone.value, zone.unit) == (3, "km")
    assert {"zone", "radius", "plant"} <= zone.about


def test_what_is_counted_stops_at_the_clause_and_the_next_number() -> None:
    text = "A fire sent 12 workers to hospital and forced the evacuation of homes within 2 kilometres of the site."
    workers, zone = quantities(text)
    assert "evacuation" not in workers.about
    assert "worker" not in zone.about
    assert {"evacuation", "home", "site"} <= zone.about


def test_same_quantity() -> None:
    taken = one("12 workers were taken to hospital")
    hospitalised = one("17 workers were hospitalised")
    assert same_quantity(taken, hospitalised)
    assert same_quantity(one("a 2 km evacuation zone"), one("the 3-kilometre evacuation zone"))
    assert same_quantity(one("a 2 km evacuation zone"), one("the 3,000 m evacuation zone"))  # units convert
    assert not same_quantity(taken, one("3 firefighters"))
    assert not same_quantity(taken, one("3 firefighters were taken to hospital"))
    assert same_quantity(taken, one("the hospital admitted 17 Ostrander workers"))
    assert not same_quantity(one("a 2 km evacuation zone"), one("a 2 percent evacuation zone"))
    assert not same_quantity(one("About 280 firefighters"), one("Two firefighters were treated in hospital"))


def test_contradicts() -> None:
    pairs = contradicts("12 workers were taken to hospital", "17 workers were hospitalised after the fire.")
    assert [(a.value, b.value) for a, b in pairs] == [(12, 17)]
    pairs = contradicts("The evacuation zone is 2 km", "Officials set a 3-kilometre evacuation zone.")
    assert [(a.text, b.text) for a, b in pairs] == [("2 km", "3-kilometre")]
    assert contradicts("12 workers were hurt", "3 firefighters were hurt.") == []
    # a measure needs one shared word; a speed is not a distance
    zone = "The evacuation zone covers 3 kilometres around the plant"
    ordered = "Tesk said firefighters had ordered everyone within a 2-kilometre radius of the plant to leave."
    assert [(a.text, b.text) for a, b in contradicts(zone, ordered)] == [("3 kilometres", "2-kilometre")]
    gusts = "Crews protected houses on the outskirts of town as gusts reached 70 kilometres an hour."
    assert contradicts("The fire was 5 kilometres from the town's eastern edge", gusts) == []
    assert contradicts("Unemployment rose to 5.1 percent", "The rate was left unchanged at 3.75 percent.") == []


def test_contradicts_in_chinese_and_japanese() -> None:
    fire = "周一凌晨化工厂发生火灾，17名工人被送往医院住院治疗。"
    assert [(a.text, b.text) for a, b in contradicts("12名工人住院", fire)] == [("12", "17")]
    assert contradicts("17名工人住院", fire) == []
    assert contradicts("12名消防员受伤", fire) == []
    zone = "避難区域は工場から半径3キロに設定された。"
    assert [(a.text, b.text) for a, b in contradicts("避難区域は半径2キロ", zone)] == [("2キロ", "3キロ")]
    assert contradicts("12 workers were taken to hospital", "Twelve workers were taken to hospital.") == []
    # the evidence gives the same figure too: "rose from 12 to 17" does not contradict 17
    assert (
        contradicts("17 workers were in hospital", "The workers in hospital rose from 12, to 17 workers in hospital.")
        == []
    )


FIRE_NORTHSHORE = (
    "A fire sent 12 workers to hospital on Monday, the fire chief said.\n"
    "Everyone within 2 km of the plant was told to leave the evacuation zone.\n"
    "About 40 firefighters fought the blaze.\n"
    "We had 12 workers transported to hospital, the chief said again.\n"
)
FIRE_VALLEY = (
    "Seventeen workers were being treated in hospital on Monday.\n"
    "Residents within a 3-kilometre evacuation zone around the plant were told to leave.\n"
    "The bank cut its rate to 3.50 percent.\n"
)
FIRE_COASTLINE = "Three firefighters were treated for smoke inhalation.\nThe central bank lowered its rate to 3.5%.\n"


def test_figure_conflicts_in_a_fictional_chemical_plant_fire() -> None:
    mentions = [
        *mentions_of("Northshore", FIRE_NORTHSHORE),
        *mentions_of("Valley", FIRE_VALLEY),
        *mentions_of("Coastline", FIRE_COASTLINE),
    ]
    conflicts = figure_conflicts(mentions)
    described = {frozenset((m.outlet, m.quantity.value) for m in c.mentions) for c in conflicts}
    assert described == {
        frozenset({("Northshore", 12), ("Valley", 17)}),
        frozenset({("Northshore", 2), ("Valley", 3)}),
    }
    assert all(isinstance(conflict, FigureConflict) and conflict.what for conflict in conflicts)
    assert any("(km)" in conflict.what for conflict in conflicts)


def test_one_outlet_repeating_or_changing_a_figure_is_no_conflict() -> None:
    same_outlet = mentions_of("Northshore", FIRE_NORTHSHORE) + mentions_of("Northshore", FIRE_VALLEY)
    assert figure_conflicts(same_outlet) == []
    rate_everywhere = mentions_of("Valley", "The bank cut its rate to 3.50 percent.") + mentions_of(
        "Coastline", "The bank cut its rate to 3.5%."
    )
    assert figure_conflicts(rate_everywhere) == []


def _story_mentions(story: str) -> list[Mention]:
    labels = tomllib.loads((EXAMPLE / "labels.toml").read_text())
    names = [name for name, label in labels["stories"].items() if label == story and name not in labels["duplicates"]]
    found: list[Mention] = []
    for name in names:
        article = load_article(str(EXAMPLE / "articles" / name))
        outlet = article.source.outlet or name
        for sentence in split_sentences(article.text):
            for quantity in quantities(article.text[sentence.start : sentence.end]):
                found.append(Mention(name, outlet, sentence.start, sentence.end, quantity))
    return found


def test_the_example_mornings_planned_conflicts_and_no_others() -> None:
    """Every sentence of every article of the chemical fire story: 12 vs 17 hospitalised, 2 km vs 3 km zone."""
    conflicts = figure_conflicts(_story_mentions("a"))
    values = sorted(sorted({m.quantity.value for m in conflict.mentions}) for conflict in conflicts)
    assert values == [[2, 3], [12, 17]]
    for conflict in conflicts:
        assert len({m.outlet for m in conflict.mentions}) >= 2
        for mention in conflict.mentions:
            article = load_article(str(EXAMPLE / "articles" / mention.article)).text
            sentence = article[mention.sentence_start : mention.sentence_end]
            assert mention.quantity.text in sentence


def test_the_example_mornings_other_stories_have_no_conflict() -> None:
    for story in ("b", "c", "d", "library-fines", "ferry-route"):
        assert figure_conflicts(_story_mentions(story)) == [], story
