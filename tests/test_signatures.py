"""Event signatures: dates in the lede resolved against publication, the article's own event date, figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

from briefer._signatures import Signature, conflicts, date_conflict, event_dates, figure_conflicts, figures, signature

WEDNESDAY = datetime(2027, 8, 4, 15, tzinfo=UTC)


def test_weekdays_are_the_latest_such_day_on_or_before_publication() -> None:
    assert event_dates("It happened on Wednesday.", WEDNESDAY) == {date(2027, 8, 4)}
    assert event_dates("late on Saturday", WEDNESDAY) == {date(2027, 7, 31)}
    assert event_dates("Tuesday's earthquake", WEDNESDAY) == {date(2027, 8, 3)}
    assert event_dates("on Monday", None) == set()


def test_plans_and_deadlines_are_not_event_dates() -> None:
    assert event_dates("Buses will not run until Friday morning.", WEDNESDAY) == set()
    assert event_dates("He will appear in court on Tuesday.", WEDNESDAY) == set()
    assert event_dates("It goes on sale on October 1.", WEDNESDAY) == set()  # after publication


def test_calendar_dates_relative_days_and_yesterday() -> None:
    assert event_dates("April 17, 2026 and 3 May", WEDNESDAY) == {date(2026, 4, 17), date(2027, 5, 3)}
    assert event_dates("yesterday", WEDNESDAY) == {date(2027, 8, 3)}
    assert event_dates("said on Wednesday, two days after the attack", WEDNESDAY) == {
        date(2027, 8, 4),
        date(2027, 8, 2),
    }
    assert event_dates("on Tuesday, the day before", WEDNESDAY) == {date(2027, 8, 3), date(2027, 8, 2)}
    assert event_dates("February 30", WEDNESDAY) == set()


def test_the_own_event_date_skips_when_someone_spoke_and_later_dates() -> None:
    follow_up = signature(
        "Systems restored", "The hospital said on Wednesday its systems work, two days after an attack.", WEDNESDAY
    )
    assert follow_up.primary == date(2027, 8, 2)
    other = signature(
        "Buses stop", "Drivers walked out on Wednesday, two days after a national rail strike.", WEDNESDAY
    )
    assert other.primary == date(2027, 8, 4) and date(2027, 8, 2) in other.dates
    assert signature("Police said on Monday", "Police said on Monday they had no leads.", WEDNESDAY).primary == date(
        2027, 8, 2
    )
    # the first paragraph with a date decides; the title counts among the dates but not for the own date
    later = signature("Fire", "Crews fought a fire.\n\nIt started on Tuesday.\n\nOn Sunday it rained.", WEDNESDAY)
    assert later.primary == date(2027, 8, 3) and date(2027, 8, 1) not in later.dates


def test_date_conflict_needs_both_own_dates_more_than_a_day_apart() -> None:
    monday, tuesday, thursday = (Signature(primary=date(2027, 8, d)) for d in (2, 3, 5))
    assert not date_conflict(monday, tuesday)
    assert date_conflict(monday, thursday)
    assert not date_conflict(monday, Signature())
    assert conflicts(monday, thursday) == ["event dates 2027-08-02 vs 2027-08-05"]


def test_figures_by_kind_and_their_conflicts() -> None:
    found = figures("A magnitude 5.8 quake; rates at 3.25 percent, then 4% ; $62m and 1.2 billion euros; 20 m away")
    assert found == {
        "magnitude": frozenset({"5.8"}),
        "percent": frozenset({"3.25", "4"}),
        "money": frozenset({"6.2e+07", "1.2e+09"}),
    }
    assert figures("1,200 million euros")["money"] == frozenset({"1.2e+09"})
    a = Signature(figures={"magnitude": frozenset({"5.8"}), "percent": frozenset({"3"})})
    b = Signature(figures={"magnitude": frozenset({"4.9"}), "percent": frozenset({"3", "5"})})
    assert figure_conflicts(a, b) == ["magnitude"]
    assert conflicts(a, b) == ["magnitude 5.8 vs 4.9"]
