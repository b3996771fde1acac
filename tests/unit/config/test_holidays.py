"""calendar.countries (issue 27): public holidays from the holidays library as known events, validated at load."""

from datetime import date, timedelta

import pytest

from exporter.config import from_mapping
from exporter.config.holidays import holiday_events
from exporter.errors import ConfigError
from exporter.judge import evaluate
from exporter.judge.model import Outcome
from tests.support.factories import measurements, row


def test_countries_and_subdivisions_are_read_and_checked():
    assert from_mapping({"calendar": {"countries": ["BR", "US-CA"]}}).calendar_countries == ("BR", "US-CA")
    for raw, message in [(["XX"], "calendar.countries[0]: unknown country 'XX'"),
                         (["BR", "US-ZZ"], "calendar.countries[1]: US has no subdivision 'ZZ'"),
                         ("BR", "calendar.countries: expected a list")]:
        with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
            from_mapping({"calendar": {"countries": raw}})


def test_a_listed_country_s_holidays_are_the_range_s_known_events():
    # Brazil: Tiradentes on 21 April, Independence on 7 September (fixed by law); California: César Chávez Day
    events = holiday_events(("BR", "US-CA"), date(2026, 3, 30), date(2026, 9, 7))
    assert events[date(2026, 4, 21)] == "BR: Tiradentes' Day"
    assert events[date(2026, 9, 7)].startswith("BR: Independence Day; US-CA: Labor Day")
    assert "US-CA: Cesar Chavez Day" in events[date(2026, 3, 31)]
    assert all(date(2026, 3, 30) <= d <= date(2026, 9, 7) for d in events)


def test_a_drop_on_a_listed_holiday_is_expected():
    day = date(2026, 4, 21)
    m = measurements(row(orders=100), [row() for _ in range(7)], day=day)
    config = from_mapping({"calendar": {"countries": ["BR"]}})
    m = type(m)(**{**m.__dict__, "events": holiday_events(config.calendar_countries, day - timedelta(days=7), day)})
    drop = next(c for c in evaluate(m, config).checks if (c.name, c.metric) == ("drop", "orders"))
    assert drop.outcome is Outcome.EXPECTED and "BR: Tiradentes' Day" in drop.message
