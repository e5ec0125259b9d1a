"""The website in a real browser: Debian's Chromium, driven by playwright, over ``file://``.

The site is built once per session (``build_site``) into a temporary directory; every page then loads without a
console error, a page error or a failed request, a crawl from the home page reaches every page through relative links
with no broken link or anchor, the filters narrow the tables from the keyboard, the numbers on the release pages and
the marks of the timeline are the ones ``views.releases()`` gives, the JSON-LD parses, axe-core finds nothing serious
on one page of each kind, and without JavaScript every row and chart is still there.

playwright never downloads a browser here: ``make browser`` installs ``/usr/bin/chromium`` from Debian. Where it is
missing the tests skip, unless ``CI`` is set, where they fail.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlparse

import pandas as pd
import pytest

from amaz_detainees import views

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
HANDOVER = "ev-2023-12-13-handover"
FIELDS = ["to_armenia_min", "to_armenia_max", "to_azerbaijan_min", "to_azerbaijan_max"]
# Visible rows of a table, by the attribute that names them (checkVisibility: not display:none nor in a hidden parent).
VISIBLE_ROWS = """([selector, attr]) => Array.from(document.querySelectorAll(selector))
    .filter(row => row.checkVisibility()).map(row => row.getAttribute(attr))"""


@dataclass
class Site:
    root: Path
    pages: list[str]
    seconds: float

    def url(self, page: str) -> str:
        return (self.root / page).as_uri()

    def html_files(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    from amaz_detainees.site import build_site

    out = tmp_path_factory.mktemp("site") / "out"
    started = time.perf_counter()
    result = build_site(out)
    print(f"\nsite: {len(result.pages)} pages built in {time.perf_counter() - started:.2f} s")
    return Site(out, list(result.pages), result.seconds)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make browser` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    chromium = manager.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        manager.stop()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context()
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture(scope="session")
def releases() -> pd.DataFrame:
    return views.releases()


def _visible(page: Any, selector: str, attr: str) -> list[str]:
    return list(page.evaluate(VISIBLE_ROWS, [selector, attr]))


# --- every page loads cleanly ----------------------------------------------------------------------------------------


def test_site_pages_are_all_written(site: Site) -> None:
    html = site.html_files()
    missing = [page for page in site.pages if not (site.root / page).is_file()]
    assert not missing, f"build_site listed pages it did not write: {missing}"
    unlisted = sorted(set(html) - set(site.pages))
    assert not unlisted, f"pages written but not in build_site(...).pages: {unlisted}"
    for required in ["index.html", "releases/index.html", f"releases/{HANDOVER}.html", "agreements/index.html",
                     "held/index.html", "sources/index.html", "places/index.html", "codebook/index.html",
                     "downloads/index.html", "errata/index.html", "changelog/index.html"]:
        assert required in html, f"{required} was not generated"
    for other in ["croissant.json", "static/site.css", "static/site.js"]:
        assert (site.root / other).is_file(), f"{other} was not generated"


def test_every_page_loads_without_errors(site: Site, context: Any) -> None:
    problems: list[str] = []
    pages = site.html_files()
    started = time.perf_counter()
    page = context.new_page()
    seen: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            seen.append(f"console error: {message.text} ({message.location})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: seen.append(f"requestfailed: {r.url} ({r.failure})"))
    for name in pages:
        seen.clear()
        page.goto(site.url(name), wait_until="load")
        for required in ['a.skip[href="#main"]', "main#main"]:
            if page.query_selector(required) is None:
                problems.append(f"{name}: no {required}")
        problems += [f"{name}: {s}" for s in seen]
    print(f"\n{len(pages)} pages loaded in {time.perf_counter() - started:.2f} s")
    assert not problems, "\n".join(problems)


def test_no_page_scrolls_sideways_on_a_phone(site: Site, browser: Any) -> None:
    """At 390 px wide, no page is wider than the screen (a wide table scrolls inside its own box)."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    problems = []
    try:
        page = ctx.new_page()
        for name in site.html_files():
            page.goto(site.url(name))
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > 390:
                culprit = page.evaluate("""() => { const w = document.documentElement.clientWidth;
                    const all = Array.from(document.querySelectorAll('body *'))
                        .filter(e => e.getBoundingClientRect().right > w + 1);
                    const leaf = all.find(e => !all.some(o => o !== e && e.contains(o))) || all[0];
                    return leaf ? leaf.outerHTML.slice(0, 200) : ''; }""")
                problems.append(f"{name}: {width} px wide, e.g. {culprit}")
    finally:
        ctx.close()
    assert not problems, f"{len(problems)} pages scroll sideways at 390 px:\n" + "\n".join(problems)


# --- the crawl: every page reachable, no broken link or anchor --------------------------------------------------------

# Resolved by hand: an SVG <a> (the timeline's marks) has no string .href.
LINKS_AND_IDS = """() => ({
    links: Array.from(document.querySelectorAll('a[href]')).map(a => [a.getAttribute('href'),
        new URL(a.getAttribute('href'), document.baseURI).href]),
    ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id)
        .concat(Array.from(document.querySelectorAll('a[name]')).map(a => a.getAttribute('name'))),
})"""


@dataclass
class Crawl:
    visited: set[str] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    external: list[tuple[str, str]] = field(default_factory=list)  # (page, href)
    anchors: list[tuple[str, str, str]] = field(default_factory=list)  # (page, target, fragment)
    ids: dict[str, set[str]] = field(default_factory=dict)
    seconds: float = 0.0


@pytest.fixture(scope="session")
def crawl(site: Site, browser: Any) -> Crawl:
    result = Crawl()
    root = site.root.resolve()
    started = time.perf_counter()
    ctx = browser.new_context()
    page = ctx.new_page()
    queue: deque[str] = deque(["index.html"])
    result.visited.add("index.html")
    while queue:
        name = queue.popleft()
        page.goto(site.url(name), wait_until="load")
        found = page.evaluate(LINKS_AND_IDS)
        result.ids[name] = set(found["ids"])
        for raw, absolute in found["links"]:
            scheme = urlparse(raw).scheme.lower()
            if scheme in ("http", "https"):
                result.external.append((name, raw))
                continue
            if scheme == "mailto":
                continue
            if scheme:
                result.broken.append(f"{name}: {raw!r} is neither relative nor http(s)")
                continue
            url, fragment = urldefrag(absolute)
            parsed = urlparse(url)
            target_path = Path(unquote(parsed.path)).resolve()
            if parsed.scheme != "file" or not target_path.is_relative_to(root):
                result.broken.append(f"{name}: {raw!r} leaves the site ({url})")
                continue
            target = target_path.relative_to(root).as_posix()
            if not target_path.is_file():
                kind = "a directory (links must name a file to work from file://)" if target_path.is_dir() else \
                    "missing"
                result.broken.append(f"{name}: {raw!r} -> {target} is {kind}")
                continue
            if fragment:
                result.anchors.append((name, target, unquote(fragment)))
            if target.endswith(".html") and target not in result.visited:
                result.visited.add(target)
                queue.append(target)
    ctx.close()
    result.seconds = time.perf_counter() - started
    print(f"\ncrawl: {len(result.visited)} pages, {len(result.anchors)} #anchors, {len(result.external)} external "
          f"links (not fetched) in {result.seconds:.2f} s")
    return result


def test_crawl_reaches_every_page_without_broken_links(site: Site, crawl: Crawl) -> None:
    problems = list(crawl.broken)
    unreached = sorted(set(site.html_files()) - crawl.visited)
    if unreached:
        problems.append(f"{len(unreached)} pages no link reaches from index.html: {', '.join(unreached)}")
    for page, target, fragment in crawl.anchors:
        if not target.endswith(".html"):
            problems.append(f"{page}: #{fragment} points into {target}, which is not a page")
        elif fragment not in crawl.ids.get(target, set()) and fragment.lower() != "top":
            problems.append(f"{page}: {target}#{fragment}: no element with id {fragment!r}")
    assert not problems, "\n".join(problems)


def test_external_links_only_on_source_pages(crawl: Crawl) -> None:
    """Links out of the site are the sources' own addresses; they are never fetched here."""
    elsewhere = sorted({f"{page}: {href}" for page, href in crawl.external if not page.startswith("sources/")})
    assert not elsewhere, "external links outside sources/:\n" + "\n".join(elsewhere)


# --- filters ----------------------------------------------------------------------------------------------------------

ROWS = "#releases-table tbody tr"


def test_releases_text_filter_narrows_the_table(site: Site, context: Any, releases: pd.DataFrame) -> None:
    page = context.new_page()
    page.goto(site.url("releases/index.html"))
    every = _visible(page, ROWS, "data-event-id")
    assert sorted(every) == sorted(releases["event_id"]), "the table must show one row per release before filtering"

    term = "2023"
    page.focus("#filter-text")
    page.keyboard.type(term)
    _wait_rows(page, ROWS, "<", len(every), f"typing {term!r}")
    shown = _visible(page, ROWS, "data-event-id")
    assert 0 < len(shown) < len(every), f"filtering on {term!r} showed {len(shown)} of {len(every)} rows"
    texts = page.evaluate("""([sel]) => Array.from(document.querySelectorAll(sel)).filter(r => r.checkVisibility())
        .map(r => [r.getAttribute('data-event-id'), r.textContent])""", [ROWS])
    unmatched = [event for event, text in texts if term.lower() not in text.lower()]
    assert not unmatched, f"rows shown for {term!r} that do not contain it: {unmatched}"
    assert _count(page) == len(shown), f"#releases-count says {page.inner_text('#releases-count')!r}, " \
                                       f"{len(shown)} rows are shown"

    # Clearing the box (from the keyboard) brings every row back.
    page.focus("#filter-text")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    _wait_rows(page, ROWS, "===", len(every), "clearing the search box")


def _wait_rows(page: Any, selector: str, op: str, n: int, after: str) -> None:
    """Wait (3 s at most) until the number of visible rows is ``op`` n; fail saying how many show otherwise."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"([sel, n]) => Array.from(document.querySelectorAll(sel))"
                               f".filter(r => r.checkVisibility()).length {op} n", arg=[selector, n], timeout=3000)
    except PlaywrightTimeout:
        shown = len(_visible(page, selector, "id"))
        pytest.fail(f"after {after}, {shown} rows of {selector} are visible; expected a number {op} {n}")


def _count(page: Any) -> int:
    text = page.inner_text("#releases-count")
    match = re.search(r"\d+", text)
    assert match, f"#releases-count has no number: {text!r}"
    return int(match[0])


def test_releases_year_filter_from_the_keyboard(site: Site, context: Any, releases: pd.DataFrame) -> None:
    page = context.new_page()
    page.goto(site.url("releases/index.html"))
    options = page.evaluate("() => Array.from(document.querySelector('#filter-year').options)"
                            ".map(o => [o.value, o.textContent.trim()])")
    years = releases["date"].dt.year
    values = [value for value, _ in options]
    year = next((y for y in ("2021", "2022") if y in values), None) or next(v for v in values if v)
    want = sorted(releases.loc[years == int(year), "event_id"])
    assert 0 < len(want) < len(releases)

    # Keyboard only: focus the closed select and step down to the year with the arrow key.
    start = page.eval_on_selector("#filter-year", "s => s.selectedIndex")
    page.focus("#filter-year")
    for _ in range(values.index(year) - start):
        page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#filter-year", "s => s.value") == year, "the arrow keys did not select the year"
    _wait_rows(page, ROWS, "===", len(want), f"choosing {year}")
    shown = sorted(_visible(page, ROWS, "data-event-id"))
    assert shown == want, f"year {year}: shown {shown}, expected {want}"
    assert _count(page) == len(shown), f"#releases-count says {page.inner_text('#releases-count')!r}, " \
                                       f"{len(shown)} rows are shown"
    for control in ["#filter-direction", "#filter-mediator", "#filter-agreement"]:
        assert page.query_selector(f"select{control}") is not None, f"no select {control}"


def test_sources_text_filter_narrows_the_table(site: Site, context: Any) -> None:
    page = context.new_page()
    page.goto(site.url("sources/index.html"))
    every = _visible(page, "#sources-table tbody tr", "data-source-id")
    assert every, "the sources table shows no row"
    first = every[0]
    term = page.inner_text(f'#sources-table tbody tr[data-source-id="{first}"] td').strip()
    page.focus("#filter-text")
    page.keyboard.type(term)
    page.wait_for_timeout(300)
    shown = _visible(page, "#sources-table tbody tr", "data-source-id")
    assert first in shown and len(shown) <= len(every), f"{term!r} shows {shown}"
    page.focus("#filter-text")
    page.keyboard.type("zzzz-no-such-source")
    page.wait_for_timeout(300)
    left = _visible(page, "#sources-table tbody tr", "data-source-id")
    assert not left, f"a search no source matches still shows {len(left)} of {len(every)} rows"


# --- the numbers shown are the data's ---------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    return "—" if pd.isna(value) else str(int(value))


def _release_fields(page: Any) -> dict[str, list[str]]:
    return dict(page.evaluate("""(fields) => fields.map(f => [f,
        Array.from(document.querySelectorAll(`[data-field="${f}"]`)).map(e => e.textContent.trim())])""", FIELDS))


def test_handover_page_shows_the_view_numbers(site: Site, context: Any, releases: pd.DataFrame) -> None:
    row = releases.set_index("event_id").loc[HANDOVER]
    page = context.new_page()
    page.goto(site.url(f"releases/{HANDOVER}.html"))
    got = _release_fields(page)
    assert got == {f: [_shown(row[f])] for f in FIELDS}


def test_every_release_page_shows_the_view_numbers(site: Site, context: Any, releases: pd.DataFrame) -> None:
    page = context.new_page()
    problems = []
    for _, row in releases.iterrows():
        page.goto(site.url(f"releases/{row['event_id']}.html"))
        got = _release_fields(page)
        for f in FIELDS:
            if not got[f] or set(got[f]) != {_shown(row[f])}:
                problems.append(f"{row['event_id']}: {f} shows {got[f]}, views.releases() has {_shown(row[f])}")
    assert not problems, "\n".join(problems)


def test_timeline_has_one_mark_per_release(site: Site, context: Any, releases: pd.DataFrame) -> None:
    page = context.new_page()
    page.goto(site.url("index.html"))
    marks = page.evaluate("() => Array.from(document.querySelectorAll('svg#timeline .mark'))"
                          ".map(m => m.getAttribute('data-event-id'))")
    assert len(marks) == len(releases), f"{len(marks)} marks for {len(releases)} releases"
    assert sorted(marks) == sorted(releases["event_id"])


def test_home_json_ld_is_a_dataset(site: Site, context: Any) -> None:
    page = context.new_page()
    page.goto(site.url("index.html"))
    blocks = page.evaluate("() => Array.from(document.querySelectorAll('script[type=\"application/ld+json\"]'))"
                           ".map(s => s.textContent)")
    assert blocks, "no JSON-LD on the home page"
    data = json.loads(blocks[0])
    assert data["@type"] == "Dataset", data.get("@type")


# --- accessibility ----------------------------------------------------------------------------------------------------


def _first(site: Site, folder: str) -> str:
    found = [p for p in site.html_files() if p.startswith(f"{folder}/") and p != f"{folder}/index.html"]
    assert found, f"no page under {folder}/"
    return found[0]


def test_axe_finds_nothing_serious(site: Site, context: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = ["index.html", "releases/index.html", f"releases/{HANDOVER}.html", "agreements/index.html",
             _first(site, "agreements"), "held/index.html", "sources/index.html", _first(site, "sources"),
             "places/index.html", "codebook/index.html", "downloads/index.html", "errata/index.html",
             "changelog/index.html"]
    problems = []
    started = time.perf_counter()
    page = context.new_page()
    for name in pages:
        page.goto(site.url(name))
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] not in ("serious", "critical"):
                continue
            nodes = "\n".join(f"      {', '.join(map(str, n['target']))}: {n['html'][:300]}"
                              for n in violation["nodes"][:10])
            more = len(violation["nodes"]) - 10
            problems.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}"
                            + (f"\n      … and {more} more" if more > 0 else ""))
    print(f"\naxe: {len(pages)} pages in {time.perf_counter() - started:.2f} s")
    assert not problems, "\n".join(problems)


# --- without JavaScript -----------------------------------------------------------------------------------------------


def test_without_javascript_everything_shows(site: Site, browser: Any, releases: pd.DataFrame) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(site.url("releases/index.html"))
        shown = _visible(page, ROWS, "data-event-id")
        assert sorted(shown) == sorted(releases["event_id"]), f"{len(shown)} of {len(releases)} rows show without JS"
        page.goto(site.url("index.html"))
        for chart in ["svg#timeline", "svg#held-chart"]:
            element = page.query_selector(chart)
            assert element is not None and element.is_visible(), f"{chart} is missing or hidden without JS"
        assert page.locator("svg#timeline .mark").count() == len(releases)
    finally:
        ctx.close()
