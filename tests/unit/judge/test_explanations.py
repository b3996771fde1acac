"""Why, by dimension, by hand: Adtributor's explanatory power (as shares of the falls) and surprise."""

import math

from exporter.judge.explanations import explain
from exporter.judge.model import CheckName, CheckResult, Outcome, Segment
from exporter.reports.check import cause_line


def leaf(channel: str, platform: str, value: float, median: float) -> CheckResult:
    return CheckResult(CheckName.DROP, "orders", Outcome.PASSED, "m", value=value, median=median,
                       segment=Segment((("channel", channel), ("platform", platform))))


LEAVES = [leaf("paid", "ios", 0, 100), leaf("paid", "android", 48, 50), leaf("organic", "ios", 62, 60),
          leaf("organic", "android", 40, 40)]


def js(p: float, q: float) -> float:
    m = (p + q) / 2
    return 0.5 * (p * math.log2(p / m) + q * math.log2(q / m))


def test_the_dimension_value_that_explains_the_falls_comes_first():
    paid, ios = explain(LEAVES)
    # channel: paid 150 -> 48 (-102), organic 100 -> 102 (+2): paid is all of the falls (-102)
    assert (paid.label, paid.actual, paid.expected, paid.difference, paid.share) == ("channel=paid", 48, 150, -102, 1)
    assert paid.within == (("ios", -100), ("android", -2))
    # platform: ios 160 -> 62 (-98), android 90 -> 88 (-2): ios 98 % of the falls (-100), android 2 % < 10 %
    assert (ios.label, ios.difference, ios.share) == ("platform=ios", -98, 0.98)
    assert ios.within == (("paid", -100), ("organic", 2))
    # surprise: expected vs actual share of the dimension, 150/250 vs 48/150 and 160/250 vs 62/150
    assert math.isclose(paid.surprise, js(0.6, 0.32)) and math.isclose(ios.surprise, js(0.64, 62 / 150))
    assert paid.surprise > ios.surprise  # so channel is ranked first
    assert cause_line("orders", paid) == "orders channel=paid −102 (100 % of the falls by channel, −102); " \
                                         "on ios −100, android −2"
    assert cause_line("orders", ios) == "orders platform=ios −98 (98 % of the falls by platform, −100); " \
                                        "on paid −100, organic +2"


def test_values_are_taken_by_surprise_until_two_thirds_of_the_falls_are_explained():
    # three platforms fall 40, 30, 30 of 100 each in one channel: ios (40 %) and android (30 %) reach 70 %
    leaves = [leaf("paid", p, 100 - d, 100) for p, d in (("ios", 40), ("android", 30), ("web", 30))]
    leaves += [leaf("organic", p, 100, 100) for p in ("ios", "android", "web")]
    causes = explain(leaves)
    platforms = [c.label for c in causes if c.dimension == "platform"]
    assert len(platforms) == 2 and platforms[0] == "platform=ios"
    assert [c.label for c in causes if c.dimension == "channel"] == ["channel=paid"]


def test_one_segment_column_or_no_fall_explains_nothing():
    one = CheckResult(CheckName.DROP, "orders", Outcome.FAILED, "m", value=0, median=10,
                      segment=Segment((("country", "NL"),)))
    assert explain([one]) == ()
    assert explain([leaf("paid", "ios", 110, 100), leaf("organic", "ios", 100, 100)]) == ()
