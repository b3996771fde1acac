"""The backtest page of a 12-segment mart in headless Chromium: the two real incidents listed and charted in the
first screen (1280 x 900), above the segments' Poisson noise."""

import re

import pytest

from exporter.cli import main
from tests.support import incident_mart as mart
from tests.support.browser import chromium

pytestmark = pytest.mark.binaries
WIDTH, HEIGHT = 1280, 900
DROP = "alert 2026-11-30 channel=paid,platform=ios"
SPIKE_PAID = re.compile(r"alert 2026-11-\d\d channel=email,platform=android")
MEASURE = """<script>
addEventListener('load', () => { for (const li of document.querySelectorAll('#incident-list > li')) {
  const chart = li.querySelector('svg'); if (!chart) continue; const r = chart.getBoundingClientRect();
  li.setAttribute('data-box', [r.left, r.top, r.right, r.bottom].map(Math.round).join(',')); } });
</script>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incidents")
    dsn = f"sqlite:///{tmp / 'mart.sqlite'}"
    config = mart.load(dsn, tmp)
    path = tmp / "backtest.html"
    assert main(["backtest", "--dsn", dsn, "--config", config, "--from", mart.FIRST.isoformat(),
                 "--to", mart.LAST.isoformat(), "--html", str(path), "--output", str(tmp / "report.txt")]) == 0
    return path


def test_both_incidents_are_listed_and_charted_above_the_fold(page, tmp_path):
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text().replace("</body>", MEASURE + "</body>"))
    result = chromium(measured, tmp_path, f"--window-size={WIDTH},{HEIGHT}", "--virtual-time-budget=5000",
                      "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    found = [(key.replace("_", " "), [int(n) for n in box.split(",")], line)
             for key, box, line in re.findall(r'id="incident-([^"]+)"[^>]*data-box="([\d,-]+)"[^>]*>'
                                              r'<span class="line">([^<]*)</span>', result.stdout)]
    (first, first_box, first_line), (second, second_box, second_line) = found[:2]
    assert first == DROP and first_line.startswith("CRITICAL open ")
    assert "orders" in first_line and "[channel=paid,platform=ios] down since 2026-11-30, day 1" in first_line
    assert SPIKE_PAID.fullmatch(second) and "refunds [channel=email,platform=android] up since" in second_line
    assert "2026-11-27" in second_line  # the spike's peak: 6 times on its day
    for box in (first_box, second_box):  # each chart drawn, whole, inside the first screen
        left, top, right, bottom = box
        assert 0 <= left < right <= WIDTH and 0 < top < bottom <= HEIGHT and right - left > 300, box


def test_the_screenshot_shows_two_charts_side_by_side_in_the_first_screen(page, tmp_path):
    from PIL import Image

    shot = tmp_path / "first-screen.png"
    result = chromium(page, tmp_path, f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}")
    assert result.returncode == 0, result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    pixels = image.load()
    value_line = (0x1F, 0x77, 0xB4)  # matplotlib's blue: each chart's value line

    def blue(x0: int, x1: int) -> int:
        return sum(pixels[x, y] == value_line for x in range(x0, x1, 2) for y in range(200, 450, 2))

    assert blue(0, WIDTH // 2) > 50 and blue(WIDTH // 2, WIDTH) > 50  # the first row of cards holds two charts


def test_the_page_keeps_the_days_and_links_the_ribbon_to_them(page):
    text = page.read_text()
    cells = re.findall(r'<a href="#day-([\d-]+)"><rect class="day ([\w-]+)"', text)
    assert cells and all(f'id="day-{day}"' in text for day, _ in cells)
    assert ("2026-11-30", "critical") in cells
    summary = re.search(r'<p id="incident-kinds">([^<]*)</p>', text)[1]
    assert re.fullmatch(r"\d+ alerts, 0 checks not evaluated \(undefined inputs\), 1 start-up stretches "
                        r"\(\d+ days of too little history: not alerts\)", summary)
