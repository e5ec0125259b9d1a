"""The website is built from the package and never says more than the data (browser checks: test_site_browser)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import amaz_detainees as ad
from amaz_detainees.site import SiteError, build_site
from amaz_detainees.views import agreements, releases

from .conftest import edit_cell, restamp

PAGE_LIMIT = 300_000  # bytes of HTML per page; the site vendors no script


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build_site(out)
    return out


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for name in ("href", "src"):
            if a.get(name):
                self.hrefs.append(str(a[name]))


def parsed(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_a_page_per_release_agreement_and_source(site: Path) -> None:
    assert {p.stem for p in (site / "releases").glob("*.html")} - {"index"} == set(releases()["event_id"])
    agreement_ids = set(ad.load("agreements")["agreement_id"])
    assert {p.stem for p in (site / "agreements").glob("*.html")} - {"index"} == agreement_ids
    assert {p.stem for p in (site / "sources").glob("*.html")} - {"index"} == set(ad.load("sources")["source_id"])
    for name in ("index", "held/index", "places/index", "codebook/index", "downloads/index", "errata/index",
                 "changelog/index"):
        assert (site / f"{name}.html").is_file(), name


def test_every_page_is_light_and_every_internal_link_resolves(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    ids = {page: parsed(page).ids for page in pages}
    for page in pages:
        assert page.stat().st_size < PAGE_LIMIT, page
        for href in parsed(page).hrefs:
            if re.match(r"^[a-z]+:", href):
                assert href.startswith(("http://", "https://")) and "/sources/" in page.as_posix(), (page, href)
                continue  # a source's own address, shown on its page: never fetched by the site
            target, _, anchor = href.partition("#")
            resolved = (page.parent / target).resolve() if target else page
            assert resolved.is_file(), (page, href)
            if anchor and resolved.suffix == ".html":
                assert anchor in ids.get(resolved, parsed(resolved).ids), (page, href)


def test_release_pages_show_the_views_figures_and_their_citation(site: Path) -> None:
    for r in releases().itertuples(index=False):
        html = (site / "releases" / f"{r.event_id}.html").read_text(encoding="utf-8")
        for field in ("to_armenia_min", "to_armenia_max", "to_azerbaijan_min", "to_azerbaijan_max"):
            value = getattr(r, field)
            shown = re.search(rf'data-field="{field}">([^<]*)<', html)
            assert shown and shown.group(1) == ("—" if pd.isna(value) else f"{int(value):,}"), (
                r.event_id, field)
        fact = ad.cite_fact("events", r.event_id)
        first_source = fact.format("apa").splitlines()[0]
        assert first_source.replace("&", "&amp;")[:40] in html.replace("&#39;", "'"), r.event_id


def test_agreement_pages_list_every_provision(site: Path) -> None:
    view = agreements()
    for agreement_id, group in view.groupby("agreement_id"):
        html = (site / "agreements" / f"{agreement_id}.html").read_text(encoding="utf-8")
        assert html.count("data-provision-id=") == len(group), agreement_id


def test_home_timeline_has_one_mark_per_release_and_the_json_ld_parses(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert html.count('class="mark"') == len(releases())
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    doc = json.loads(block.group(1))
    assert doc["@type"] == "Dataset" and doc["version"] == ad.__version__


def test_the_package_lies_beside_croissant_byte_for_byte(site: Path) -> None:
    from amaz_detainees.package import shipped

    package = shipped()
    refs = ["datapackage.json"] + [package.resource(n)[k] for n in package.names for k in ("path", "schema")]
    for ref in refs:
        assert (site / ref).read_bytes() == (package.root / ref).read_bytes(), ref
    files = {f["contentUrl"] for f in json.loads((site / "croissant.json").read_text(encoding="utf-8"))["distribution"]}
    assert all((site / f).is_file() for f in files) and len(files) == len(package.names)


def test_downloads_are_listed_with_their_real_size_and_hash(site: Path) -> None:
    import hashlib

    html = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    files = sorted((site / "downloads").glob("amaz-detainees*"))
    assert len(files) == 6
    for path in files:
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() in html and f"{len(data):,} bytes" in html, path.name


def test_an_invalid_package_gets_no_site_and_its_problems_named(package_copy: Path, tmp_path: Path) -> None:
    edit_cell(package_copy, "counts", 2, "source_id", "src-does-not-exist")
    restamp(package_copy)
    with pytest.raises(SiteError, match=r"counts, row 2, field source_id: \[foreign-key\]"):
        build_site(tmp_path / "out", package_copy)
    assert not (tmp_path / "out").exists()


def test_it_refuses_to_write_into_a_directory_in_use(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SiteError, match="not empty"):
        build_site(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
