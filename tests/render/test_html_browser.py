"""The standalone comparison page in a real headless browser (Chromium from the system packages).

Layout sanity for 10 licences at 1280 px: the table renders with every row, nothing overflows
horizontally, and every verdict cell is readable (text/background contrast) in light and in dark
mode. The page itself has no JavaScript; the checks run in a copy with a test-only probe script.
Screenshots are saved under test-artifacts/ (gitignored). Skipped, with the reason, when Chromium
is not installed (`apt-get install chromium`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import licencecmp
from licencecmp.reasoning.comparison import compare
from licencecmp.render.html import html_page
from licencecmp.scenario import make_scenario
from licencecmp.vocab import Action

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
WIDTH = 1280

# Ten rows that show every kind of cell; ids missing from the catalogue are filled from the rest.
PREFERRED = ["deepseek-ai/DeepSeek-R1", "llama-3.1", "llama-3.2", "gemma", "qwen", "hunyuan",
             "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "cc-by-nc-4.0", "apache-2.0", "mistral-research"]

PROBE = """<script>
(function () {
  function rgb(s) { var m = s.match(/[\\d.]+/g).map(Number); return m.slice(0, 3); }
  function lum(c) {
    return c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
            .reduce(function (a, v, i) { return a + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
  function contrast(a, b) {
    var x = lum(rgb(a)), y = lum(rgb(b)); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
  var doc = document.documentElement, table = document.querySelector("table");
  var rows = table ? table.querySelectorAll("tbody tr") : [];
  var cells = Array.prototype.slice.call(document.querySelectorAll("td"));
  var worst = cells.reduce(function (w, td) {
    var s = getComputedStyle(td); var c = contrast(s.color, s.backgroundColor);
    return c < w.c ? {c: c, cls: td.className} : w; }, {c: 99, cls: ""});
  var overflow = cells.filter(function (td) { return td.scrollWidth > td.clientWidth + 1; }).length;
  var out = {
    viewport: window.innerWidth, scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
    tableWidth: table ? table.getBoundingClientRect().width : 0,
    tableHeight: table ? table.getBoundingClientRect().height : 0,
    rows: rows.length, cells: cells.length, overflowingCells: overflow,
    minContrast: worst.c, minContrastClass: worst.cls,
    background: getComputedStyle(doc).backgroundColor,
  };
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    pytest.skip("Chromium is not installed (apt-get install chromium): the page cannot be checked in a browser")


def run_browser(page: Path, profile: Path, *extra: str) -> str:
    args = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
            f"--window-size={WIDTH},1600", *extra, page.as_uri()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


def ten_names() -> list[str]:
    cat = licencecmp.catalogue()
    models = {m.id for m in cat.models()}
    names = [n for n in PREFERRED if n in cat or n in models]
    names += [i for i in cat.ids() if i not in names and not cat.licence(i).deprecated]
    if len(names) < 10:
        pytest.skip(f"the catalogue has fewer than 10 licences ({len(names)})")
    return names[:10]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_renders_without_horizontal_overflow(scheme: str, tmp_path: Path) -> None:
    names = ten_names()
    scenario = make_scenario(mau=1_000_000_000, region="DE")
    html = html_page(compare(names, scenario=scenario))
    assert "<script" not in html  # the page itself needs no JavaScript
    page = tmp_path / "compare.html"
    page.write_text(html, encoding="utf-8")
    probed = tmp_path / "probe.html"
    probed.write_text(html.replace("</body>", PROBE + "\n</body>"), encoding="utf-8")
    dark = ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"] if scheme == "dark" else \
        ["--blink-settings=preferredColorScheme=1"]

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"compare-10-{scheme}.png"
    shot.unlink(missing_ok=True)
    run_browser(page, tmp_path / "profile-shot", *dark, f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 10_000, "no screenshot"
    print(f"screenshot: {shot}")

    dom = run_browser(probed, tmp_path / "profile-dom", *dark, "--dump-dom", "--virtual-time-budget=2000")
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the probe did not run"
    probe = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    print(f"probe ({scheme}): {probe}")
    assert probe["viewport"] == WIDTH
    assert probe["rows"] == 10 and probe["cells"] == 10 * (len(Action) + 6)
    assert probe["tableHeight"] > 200 and probe["tableWidth"] > WIDTH * 0.9
    assert probe["scrollWidth"] <= probe["clientWidth"], "the page scrolls horizontally at 1280 px"
    assert probe["overflowingCells"] == 0, "text overflows its cell"
    assert probe["minContrast"] >= 4.5, f"low contrast in a {probe['minContrastClass']!r} cell"
    lightness = sum(int(v) for v in re.findall(r"\d+", probe["background"])[:3])
    assert (lightness < 200) if scheme == "dark" else (lightness > 600), probe["background"]
