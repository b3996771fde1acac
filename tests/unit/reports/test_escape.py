"""Text from data made safe (issue 31): labels that never collide, lines data cannot forge, a page data cannot
script, CSV that reads back, ledger keys that stay apart. Expected strings written by hand."""

import csv
import io
from datetime import date

import pytest

from exporter.config import Config
from exporter.escape import label_value, printable
from exporter.judge.model import CheckName, CheckResult, Evaluation, Outcome, Segment
from exporter.reports import check as report
from exporter.reports import history
from exporter.reports.html import page
from exporter.warehouse.ledger import _segment

DAY = date(2026, 11, 30)


def segment(*values):
    return Segment(tuple(zip(("country", "channel"), values, strict=False)))


def drop(seg, outcome=Outcome.FAILED, message="0 vs median 20"):
    return CheckResult(CheckName.DROP, "orders", outcome, message, value=0.0, segment=seg)


def test_labels_of_values_holding_the_separators_never_collide():
    assert segment("x,channel=y", "z").label == "country=x\\,channel\\=y,channel=z"
    assert segment("x", "y,channel=z").label == "country=x,channel=y\\,channel\\=z"
    pairs = [("a\\,b",), ("a,b",), ("a\\\\,b",), ("a\\",), ("a\\\\",), ("a\n",), ("a\\n",), ("<",), ("\\x3c",)]
    assert len({segment(*p).label for p in pairs}) == len(pairs)


@pytest.mark.parametrize("raw, shown", [
    ("\r[OK] all good", "\\r[OK] all good"), ("x\n[OK] injected", "x\\n[OK] injected"),
    ("\x1b[2J", "\\x1b[2J"), ("\u202e0123", "\\u202e0123"), ("\x85\u2028\u2066", "\\x85\\u2028\\u2066"),
    ("Côte d'Ivoire", "Côte d'Ivoire"), ("tab\there", "tab\\there"), ("a\\b", "a\\b")])
def test_control_and_bidi_characters_are_written_as_escapes(raw, shown):
    assert printable(raw) == shown


def test_a_label_escapes_chat_markup_but_printable_text_keeps_it():
    assert label_value("<!channel>") == "\\x3c!channel\\x3e"
    assert printable("<!channel>") == "<!channel>"


def test_no_line_of_the_report_is_forged_by_a_value_and_json_keeps_it():
    event = drop(None, Outcome.EXPECTED, "expected on a known event (sale\x1b[2J\n[OK] injected)")  # a name from data
    e = Evaluation(DAY, (drop(segment("\r[OK] all good")), drop(segment("x\n[OK] injected")), event), 1,
                   known_event="sale\x1b[2J", segmented=True)
    lines = report.text(e).split("\n")
    assert lines[:3] == ["[CRITICAL] orders [country=\\r[OK] all good]: 0 vs median 20",
                         "[CRITICAL] orders [country=x\\n[OK] injected]: 0 vs median 20",
                         "[OK] orders: expected on a known event (sale\\x1b[2J\\n[OK] injected)"]
    assert [c["segment"] for c in report.document(e)["checks"]] == [{"country": "\r[OK] all good"},
                                                                    {"country": "x\n[OK] injected"}, None]
    summary = history.text([e])
    assert "\r" not in summary and "\n[OK] injected" not in summary


def test_csv_quotes_a_bare_cr_and_reads_back_row_for_row():
    e = Evaluation(DAY, (drop(segment("a\rb"), message="m\rn"), drop(segment("c\r\nd")), drop(segment("e"))), 1,
                   segmented=True)
    rows = list(csv.DictReader(io.StringIO(history.to_csv([e]), newline="")))
    assert [(r["segment"], r["message"]) for r in rows] == [("country=a\\rb", "m\rn"),
                                                            ("country=c\\r\\nd", "0 vs median 20"),
                                                            ("country=e", "0 vs median 20")]


def test_the_page_escapes_an_event_name_and_every_label():
    e = Evaluation(DAY, (drop(segment("&lt;b&gt;")),), 1, known_event="<script>alert(1)</script>\u202e",
                   segmented=True)
    html = page(Config(), [e])
    assert "<script" not in html and "\u202e" not in html
    assert "(known event: &lt;script&gt;alert(1)&lt;/script&gt;\\u202e)" in html  # the incident list
    assert "<title>2026-11-30 Mon: CRITICAL (known event: &lt;script&gt;" in html  # the ribbon
    assert "<td>drop</td><td>orders [country=&amp;lt;b&amp;gt;]</td>" in html  # the summary
    assert "<li class=\"critical\">drop orders [country=&amp;lt;b&amp;gt;]: " in html  # the incident's line


def test_ledger_keys_of_long_labels_stay_apart():
    a, b = drop(segment("K" * 70 + "a")), drop(segment("K" * 70 + "b"))
    assert len(_segment(a)) == len(_segment(b)) == 63
    assert _segment(a) != _segment(b) and _segment(a)[:51] == f"country={'K' * 42}~"
    assert _segment(drop(segment("NL"))) == "country=NL"
