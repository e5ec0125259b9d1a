"""Command line: ``amaz-detainees validate|info|show|cite|export|fmt|stamp|correct|site|codebook``.

Exit codes: 0 valid / done, 1 invalid data, 2 unreadable package or bad usage. Problems are listed,
never raised as tracebacks.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .checks import content_digest, hash_problems, validate
from .loading import DataValidationError, load
from .package import PackageError, open_package


def _validate(args: argparse.Namespace) -> int:
    report = validate(args.path, conformance=args.frictionless)
    unreadable = any(p.check == "descriptor" and p.table == "datapackage.json" and p.row is None
                     and not report.rows for p in report.problems)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2, ensure_ascii=False, default=str)
        print()
    else:
        print(report)
        if not report.relations.empty:
            print("declared relations:")
            for r in report.relations.itertuples(index=False):
                verdict = "holds" if r.holds else ("BROKEN" if r.scope == "within_source" else "sources disagree")
                print(f"  {r.relation_id}: {r.expression} [{r.scope}] {verdict}")
        if not report.provisions.empty:
            print("release provisions against the handovers that carried them out (persons, min-max across sources):")
            for r in report.provisions.itertuples(index=False):
                verdict = "no figure" if _missing(r.agrees) else ("agrees" if r.agrees else "differs")
                moved = "-" if _missing(r.moved_min) else _span(r.moved_min, r.moved_max)
                print(f"  {r.provision_id}: {r.quantity} promised, {moved} moved by {r.events or 'no linked event'!s}"
                      f" {verdict}")
    if unreadable:
        return 2
    return 0 if report.ok else 1


def _info(args: argparse.Namespace) -> int:
    import pandas as pd

    package = open_package(args.path)
    frames = {name: load(name, path=args.path) for name in package.names}
    print(f"amaz-detainees {__version__} (data package version {package.descriptor.get('version', '?')})")
    print(f"package: {package.root}")
    print(f"content digest: {content_digest(package)} (quote it with the version to name the exact data)")
    print("tables:")
    for name, frame in frames.items():
        print(f"  {name:<22} {len(frame):>4} rows  {package.resource(name).get('description', '')[:70]}")
    sources, counts, events = frames["sources"], frames["counts"], frames["events"]
    print(f"sources: {len(sources)} documents from {sources['publisher'].nunique()} publishers; by side: "
          + ", ".join(f"{k} {v}" for k, v in sources["side"].value_counts().items() if v))
    print(f"counts: {len(counts)} figures from {counts['source_id'].nunique()} sources")
    first, last = events["date_start"].min(), events["date_end"].max()
    if not pd.isna(first) and not pd.isna(last):
        print(f"events: {len(events)} from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    from .views import releases

    table = releases(args.path)
    print(f"releases and exchanges: {len(table)} (min-max persons across sources; `amaz-detainees show releases`):")
    for r in table.itertuples(index=False):
        print(f"  {r.date:%Y-%m-%d} {r.event_id}: to Armenia {_span(r.to_armenia_min, r.to_armenia_max)}, "
              f"to Azerbaijan {_span(r.to_azerbaijan_min, r.to_azerbaijan_max)} ({r.n_sources} sources)")
    return 0


def _missing(cell: object) -> bool:
    """``pd.isna`` of one cell (a field of ``itertuples``), whatever the column's dtype."""
    import pandas as pd

    # pandas-stubs types isna() of a scalar for fewer kinds than a cell can be (np.bool_, Period, Interval, object).
    return bool(pd.isna(cell))  # type: ignore[call-overload]


def _span(low: object, high: object) -> str:
    if _missing(low):
        return "-"
    return f"{low}" if low == high else f"{low}-{high}"


def _show(args: argparse.Namespace) -> int:
    import pandas as pd

    from .views import VIEWS, reconcile

    frame = reconcile(args.rule, path=args.path) if args.view == "claims" else VIEWS[args.view](args.path)
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        print(frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=2))
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 60):
            print(frame.to_string(index=False))
    return 0


def _cite(args: argparse.Namespace) -> int:
    from .citation import FactNotFound, cite, cite_fact, parse_fact

    if args.fact:
        try:
            table, key = parse_fact(args.fact)
            print(cite_fact(table, key, path=args.path).format(args.format or "text"))
        except FactNotFound as exc:
            print(f"amaz-detainees: {exc}", file=sys.stderr)
            return 2
        return 0
    # argparse's choices: text (apa for the dataset) or one of the citation FORMATS
    print(cite("apa" if not args.format or args.format == "text" else args.format, path=args.path).rstrip("\n"))
    return 0


def _export(args: argparse.Namespace) -> int:
    from .exports import ExportError, export

    try:
        written = export(args.format, args.out, path=args.path)
    except ExportError as exc:
        print(f"amaz-detainees: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _stamp(args: argparse.Namespace) -> int:
    from .maintain import citation_drift, record_shipped_validation, shipped_record_drift, stamp, stamp_citation

    package = open_package(args.path)
    if args.check:
        problems = [str(p) for name in package.names for p in hash_problems(package, name)]
        problems += [f"CITATION.cff: {key} is {old!r}, the package says {new!r} (run `amaz-detainees stamp`)"
                     for key, (old, new) in citation_drift(package).items()]
        drift = shipped_record_drift(package)
        if drift is not None:
            problems.append(f"the record of the shipped package's passed validation is {drift[0]}, its digest is "
                            f"{drift[1]} (run `amaz-detainees stamp`)")
        for p in problems:
            print(p)
        return 1 if problems else 0
    changed = stamp(package)
    print("datapackage.json updated" if changed else "datapackage.json already up to date")
    if stamp_citation(package):
        print("CITATION.cff updated (version and release date)")
    package = open_package(args.path)
    recording = shipped_record_drift(package) is not None
    failures = record_shipped_validation(package)
    if recording and not failures:
        print("the shipped package validates: its digest is recorded, so `load` trusts it as it is")
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        print("amaz-detainees: the package does not validate, so load will keep validating it in full",
              file=sys.stderr)
        return 1
    return 0


def _fmt(args: argparse.Namespace) -> int:
    from .maintain import NotFormattable, plan, write

    package = open_package(args.path)
    try:
        rewrites = plan(package)
    except NotFormattable as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("amaz-detainees: nothing was written; fix these first (`amaz-detainees validate` lists all problems)",
              file=sys.stderr)
        return 1
    for rewrite in rewrites:
        verb = "not canonical:" if args.check else "rewrote"
        print(f"{verb} {rewrite.path.relative_to(package.root)} ({', '.join(rewrite.reasons)})")
    if args.check:
        if rewrites:
            print("run `amaz-detainees fmt` to rewrite these files", file=sys.stderr)
        return 1 if rewrites else 0
    write(rewrites)
    if not rewrites:
        print("already canonical")
    return 0


def _site(args: argparse.Namespace) -> int:
    from .site import SiteError, build_site

    try:
        result = build_site(args.out, args.path)
    except SiteError as exc:
        print(f"amaz-detainees: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(result.pages)} pages to {result.root} in {result.seconds:.1f} s; open {result.root}/index.html")
    return 0


def _codebook(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .maintain import render

    package = open_package(args.path)
    text = render(package)
    target = Path(args.out) if args.out else package.root / "CODEBOOK.md"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"{target} is stale: run `amaz-detainees codebook`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _correct(args: argparse.Namespace) -> int:
    from datetime import date
    from pathlib import Path

    from .maintain import CorrectionError, apply_corrections, read_corrections

    package = open_package(args.path)
    try:
        count = apply_corrections(package, read_corrections(Path(args.corrections)),
                                  change_date=date.fromisoformat(args.date) if args.date else None)
    except (CorrectionError, ValueError) as exc:
        print(f"amaz-detainees: nothing was written: {exc}", file=sys.stderr)
        return 2
    print(f"{count} correction(s) applied and recorded in errata; run `amaz-detainees fmt`, then `validate`")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amaz-detainees", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"amaz-detainees {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="validate a package (default: the shipped one)")
    v.add_argument("path", nargs="?", help="package directory or datapackage.json")
    v.add_argument("--json", action="store_true", help="machine-readable report on stdout")
    v.add_argument("--frictionless", action="store_true",
                   help="also run Frictionless, the reference implementation, over the descriptor and every row "
                        "(slow: minutes at a million rows; CI does it for the shipped data)")
    v.add_argument("--no-frictionless", action="store_false", dest="frictionless",
                   help=argparse.SUPPRESS)  # the default since 0.5.0; kept so old scripts keep working
    v.set_defaults(run=_validate)
    i = sub.add_parser("info", help="version, tables, rows and sources")
    i.add_argument("path", nargs="?")
    i.set_defaults(run=_info)
    from .views import RECONCILIATION_RULES, VIEWS

    w = sub.add_parser("show", help="print a derived view: releases, agreements, held-over-time or claims (--rule)")
    w.add_argument("view", choices=sorted(VIEWS))
    w.add_argument("path", nargs="?")
    w.add_argument("--rule", choices=list(RECONCILIATION_RULES), default="all",
                   help="reconciliation rule for the claims view (default: all)")
    w.add_argument("--format", choices=["text", "csv", "json"], default="text")
    w.set_defaults(run=_show)
    from .citation import FORMATS

    t = sub.add_parser("cite", help="cite the dataset, or with --fact the original sources behind one row")
    t.add_argument("path", nargs="?")
    t.add_argument("--format", choices=["text", *FORMATS],
                   help="citation format (default: apa for the dataset, text for --fact)")
    t.add_argument("--fact", metavar="TABLE:ID",
                   help="a row, e.g. counts:c-js-32 (composite keys joined with /, in primary-key order)")
    t.set_defaults(run=_cite)
    from .exports import FORMATS as EXPORT_FORMATS

    e = sub.add_parser("export", help="validate a package, then write it as parquet, sqlite, duckdb, xlsx, dta or csv")
    e.add_argument("path", nargs="?", help="package directory or datapackage.json (default: the shipped one)")
    e.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    e.add_argument("--out", required=True, help="directory to write into (created if missing)")
    e.set_defaults(run=_export)
    s = sub.add_parser("stamp", help="record bytes and sha256 of each data file; copy the version into CITATION.cff")
    s.add_argument("path", nargs="?")
    s.add_argument("--check", action="store_true", help="only report files that differ from the record")
    s.set_defaults(run=_stamp)
    f = sub.add_parser("fmt", help="rewrite the package canonically: rows sorted by key, UTF-8, LF, minimal quoting, "
                                   "bytes and hashes refreshed")
    f.add_argument("path", nargs="?", help="package directory or datapackage.json (default: the shipped one)")
    f.add_argument("--check", action="store_true", help="change nothing; exit 1 listing non-canonical files")
    f.set_defaults(run=_fmt)
    r = sub.add_parser("correct", help="apply a corrections CSV to the data, recording each change in errata")
    r.add_argument("corrections", help="CSV: table_name,row_key,field_name,new_value,reason,source_id,locator "
                                       "(empty field_name retracts the row)")
    r.add_argument("path", nargs="?", help="package directory or datapackage.json (default: the shipped one)")
    r.add_argument("--date", help="change date for the errata (default: today), YYYY-MM-DD")
    r.set_defaults(run=_correct)
    w = sub.add_parser("site", help="build the static website of a valid package (needs the `site` extra)")
    w.add_argument("path", nargs="?", help="package directory or datapackage.json (default: the shipped package)")
    w.add_argument("--out", required=True, help="an empty or new directory to write the site into")
    w.set_defaults(run=_site)
    c = sub.add_parser("codebook", help="write CODEBOOK.md from the descriptor and Table Schemas")
    c.add_argument("path", nargs="?")
    c.add_argument("--out", help="where to write (default: CODEBOOK.md beside datapackage.json)")
    c.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    c.set_defaults(run=_codebook)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except DataValidationError as exc:
        print(f"amaz-detainees: the package is invalid (run `amaz-detainees validate`):\n{exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (PackageError, KeyError, OSError) as exc:
        print(f"amaz-detainees: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
