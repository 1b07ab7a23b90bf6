"""The documentation's comparison page (the mkdocs site) and the standalone html page, in headless
Chromium at 1280 px and 390 px wide: every row and column of the table is there and reachable, the
docs page shows each verdict in the html page's colours, no cell's text overflows, and the page
itself does not scroll sideways (the table scrolls inside its own box). Screenshots go to
test-artifacts/. Skipped, with the reason, when Chromium or mkdocs is not installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp.reasoning.comparison import FACTS
from licencecmp.vocab import Action, Verdict

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = (1280, 390)

PROBE = """<script>
(function () {
  var doc = document.documentElement;
  var table = document.querySelector("table.licencecmp-compare") || document.querySelector("table");
  var box = table.closest(".licencecmp-scroll, .scroll") || table.parentElement;
  var cells = Array.prototype.slice.call(table.querySelectorAll("td"));
  var colours = {};
  cells.forEach(function (td) { var s = getComputedStyle(td);
    td.classList.forEach(function (c) { colours[c] = [s.backgroundColor, s.color]; }); });
  var out = {
    viewport: window.innerWidth, scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
    rows: table.querySelectorAll("tbody tr").length,
    columns: table.querySelectorAll("thead th").length,
    boxScrollWidth: box.scrollWidth, tableWidth: table.getBoundingClientRect().width,
    boxOverflow: getComputedStyle(box).overflowX,
    overflowingCells: cells.filter(function (td) { return td.scrollWidth > td.clientWidth + 1; }).length,
    colours: colours,
  };
  var caption = document.querySelector(".licencecmp-caption, .table-caption");
  out.captionOutside = caption !== null && !box.contains(caption);
  out.captionClipped = caption === null || caption.getBoundingClientRect().right > window.innerWidth + 1;
  var more = document.querySelector(".licencecmp-more, .more");
  out.moreShown = more !== null && getComputedStyle(more).display !== "none";
  box.scrollLeft = box.scrollWidth;
  out.scrolledBy = box.scrollLeft;
  var first = table.querySelector("tbody th");
  out.firstColumnOffset = first.getBoundingClientRect().left - box.getBoundingClientRect().left;
  var host = window.top !== window ? window.top.document : document;
  var pre = host.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  host.body.appendChild(pre);
})();
</script>"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (apt-get install chromium): the pages cannot be checked in a browser")


def browse(page: Path, profile: Path, width: int, *extra: str) -> str:
    args = [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
            "--allow-file-access-from-files", f"--window-size={max(width, 500)},1400",
            "--blink-settings=preferredColorScheme=1", *extra, page.as_uri()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


def host(page: Path, width: int) -> Path:
    """A page that shows ``page`` in a frame ``width`` px wide: headless Chromium's window is at least
    500 px wide, so a phone's 390 px viewport is a frame's."""
    path = page.with_name(f"host-{width}-{page.name}")
    path.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{page.name}" '
                    f'style="width:{width}px;height:1400px;border:0;display:block"></iframe></body></html>',
                    encoding="utf-8")
    return path


def probe(page: Path, tmp: Path, width: int, name: str) -> dict[str, Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}-{width}.png"
    shot.unlink(missing_ok=True)
    browse(host(page, width), tmp / f"profile-shot-{name}-{width}", width, f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 10_000, "no screenshot"
    probed = page.with_name(f"probe-{page.name}")
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "\n</body>"), encoding="utf-8")
    dom = browse(host(probed, width), tmp / f"profile-dom-{name}-{width}", width, "--dump-dom",
                 "--virtual-time-budget=3000")
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the probe did not run"
    data: dict[str, Any] = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    print(f"{name} at {width}px: {shot}; {({k: v for k, v in data.items() if k != 'colours'})}")
    return data


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium()
    pytest.importorskip("mkdocs", reason="mkdocs is in the docs extra")
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1",
                               "HOME": str(out)})
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def current() -> list[str]:
    return [lic.id for lic in licencecmp.catalogue() if not lic.superseded_by and not lic.deprecated]


@pytest.mark.parametrize("width", WIDTHS)
def test_docs_comparison_page_and_html_page(site: Path, tmp_path: Path, width: int) -> None:
    docs = probe(site / "comparison" / "index.html", tmp_path, width, "docs-comparison")
    page = site / "comparison.html"  # the standalone page, as the site ships it
    html = probe(page, tmp_path, width, "comparison-html")
    rows, columns = len(current()), 1 + len(Action) + len(FACTS)
    for data in (docs, html):
        assert data["viewport"] == width
        assert data["rows"] == rows and data["columns"] == columns, "the table is not whole"
        assert data["overflowingCells"] == 0, "text overflows its cell"
    for data in (docs, html):  # the table scrolls in its box (all of it reachable), the page does not
        assert data["scrollWidth"] <= data["clientWidth"], "the page scrolls sideways"
        assert data["boxOverflow"] == "auto" and data["boxScrollWidth"] >= data["tableWidth"] - 1
    for data in (docs, html):  # issue 23: the caption is never clipped, the licence column stays in view
        assert data["captionOutside"] and not data["captionClipped"], "the caption is clipped"
        assert data["scrolledBy"] > 0 and abs(data["firstColumnOffset"]) <= 1, "the licence column scrolled away"
        assert data["moreShown"] == (width < 1100), "the line saying more columns lie to the right"
    # the same verdict colours as the html page
    for verdict in Verdict:
        if verdict.value in html["colours"]:
            assert docs["colours"].get(verdict.value) == html["colours"][verdict.value], verdict.value
    assert any(v.value in docs["colours"] for v in Verdict)
