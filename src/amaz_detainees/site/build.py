"""Build the site: validate the package, compute the views once, render every page, write the downloads.

The order is the reader's: home, releases (and one page each), agreements, held over time, sources
(and one page each), places, codebook, downloads, errata, changelog. Every page that shows a fact shows
``cite_fact`` for it in APA and BibTeX; every figure is a range over the sources, never one number.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ..checks import content_digest
from ..citation import cite, cite_fact
from ..exports import ExportSource, read_source, write_format
from ..loading import DataValidationError
from ..views import agreements, claims, held_over_time, releases
from . import charts
from .catalog import croissant, dataset_jsonld
from .charts import missing
from .downloads import write_downloads
from .pages import Pages


class SiteError(Exception):
    """The site cannot be built (an invalid package, a missing extra, an output directory in use)."""


@dataclass
class SiteResult:
    """What a build wrote: the pages (paths relative to the site root) and how long it took."""

    root: Path
    pages: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _environment() -> Any:
    try:
        import jinja2
        import markdown_it  # noqa: F401  (the changelog page; imported here so a missing extra fails first)
    except ImportError as exc:
        raise SiteError(f"the site needs {exc.name}: pip install 'amaz-detainees[site]'") from exc
    templates = resources.files(__package__ or "amaz_detainees.site").joinpath("templates")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["num"] = lambda v: "—" if missing(v) else f"{int(v):,}"
    env.filters["text"] = lambda v: "" if missing(v) else str(v)
    env.filters["day"] = lambda v: "" if missing(v) else f"{pd.Timestamp(v):%Y-%m-%d}"
    env.filters["words"] = lambda v: "" if missing(v) else str(v).replace("_", " ")
    return env


def _source(path: str | Path | None) -> ExportSource:
    try:
        return read_source(path)
    except DataValidationError as exc:
        problems = "\n".join(f"  {p}" for p in exc.report.problems)
        raise SiteError(f"the package does not validate, so no site was built:\n{problems}") from exc


def build_site(out: str | Path, path: str | Path | None = None) -> SiteResult:
    """Build the static site of the package at ``path`` (None: the shipped one) into ``out``.

    ``out`` must be empty or absent. Raises ``SiteError`` naming every problem of an invalid package.
    """
    started = time.perf_counter()
    target = Path(out)
    if target.exists() and any(target.iterdir()):
        raise SiteError(f"{target} is not empty: give a new or empty directory")
    env = _environment()
    source = _source(path)
    root = source.package.root
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        downloads = write_downloads(source, target, Path(work))
    write_format(source, "csv", target)  # datapackage.json, data/ and schemas/, which croissant.json names
    static = resources.files(__package__ or "amaz_detainees.site").joinpath("static")
    (target / "static").mkdir()
    for name in ("site.css", "site.js"):
        (target / "static" / name).write_bytes(static.joinpath(name).read_bytes())
    (target / "croissant.json").write_text(json.dumps(croissant(source.package), indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    views = {"releases": releases(path=root), "agreements": agreements(path=root),
             "held": held_over_time(path=root), "claims": claims(path=root)}
    pages = Pages(source, views, lambda table, key: cite_fact(table, key, root, tables=source.frames))
    common = {"version": source.package.descriptor.get("version"), "digest": content_digest(source.package),
              "title_site": source.package.descriptor.get("title", "")}
    extra = {"jsonld": json.dumps(dataset_jsonld(source.package, downloads), indent=1, ensure_ascii=False)
             .replace("</", "<\\/"),
             "timeline": charts.releases_timeline(views["releases"], "releases/"),
             "held_chart_svg": charts.held_chart(views["held"], "sources/"),
             "held_chart_page": charts.held_chart(views["held"], "../sources/"),
             "apa": cite(path=root), "bibtex": cite("bibtex", path=root), "downloads": downloads}
    result = SiteResult(target)
    for page in pages.all(extra):
        depth = page.path.count("/")
        html = env.get_template(page.template).render(**common, **page.context, root="../" * depth,
                                                      page_path=page.path)
        file = target / page.path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(html, encoding="utf-8")
        result.pages.append(page.path)
    result.seconds = time.perf_counter() - started
    return result
