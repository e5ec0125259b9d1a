"""Time ``amaz-detainees validate`` against Frictionless and a polars floor, and write RESULTS.md.

For each size (rows in ``events`` and in ``counts``) it builds the synthetic package (synth.py),
then runs the three tools as whole processes, alternating their order in every round (paired runs,
so a slow moment of the machine hits all three alike). Each run goes through GNU ``/usr/bin/time -v``
for its peak resident memory; wall time is measured around the process. It then checks the targets
of issue 6, times the shipped package, re-runs the load benchmark, and plants a duplicate key half-way
down the largest package to show it is still caught. Everything it prints goes to
``benchmarks/RESULTS.md`` as well.

Usage: ``python benchmarks/run.py [--sizes 10000 100000 1000000] [--runs 5] [--big-runs 3]``
(needs the ``bench`` extra: polars). A full run takes about an hour, nearly all of it Frictionless.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load_speed  # noqa: E402
import synth  # noqa: E402

BIN = Path(sys.executable).parent
TARGETS = {"vs_frictionless": 15.0, "vs_floor": 3.0, "memory": 4.0, "slope": 1.1, "shipped": 1.5,
           "load_ratio": load_speed.TARGET}


@dataclass
class Run:
    wall: float
    peak_mb: float
    exit_code: int
    output: str


def measure(command: list[str]) -> Run:
    """One whole-process run: wall seconds (around the process) and peak RSS (GNU time)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-v", "-o", report.name, *command],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        peak_kb = next(int(line.split(":")[1]) for line in report.read().splitlines()
                       if "Maximum resident set size" in line)
    return Run(wall, peak_kb / 1024, done.returncode, done.stdout + done.stderr)


def tools(package: Path) -> dict[str, list[str]]:
    return {
        "amaz-detainees validate": [str(BIN / "amaz-detainees"), "validate", str(package)],
        "frictionless validate": [str(BIN / "frictionless"), "validate", "--type", "package",
                                  str(package / "datapackage.json")],
        "polars floor": [sys.executable, str(HERE / "floor.py"), str(package)],
    }


def paired_rounds(package: Path, runs: int) -> dict[str, list[Run]]:
    commands = tools(package)
    names = list(commands)
    results: dict[str, list[Run]] = {n: [] for n in names}
    for name in names:  # warm the file cache once; not counted
        measure(commands[name]) if name != "frictionless validate" else None
    for i in range(runs):
        order = names[i % len(names):] + names[:i % len(names)]
        for name in order:
            run = measure(commands[name])
            if run.exit_code != 0:
                raise SystemExit(f"{name} did not pass on {package} (exit {run.exit_code}):\n{run.output[-2000:]}")
            results[name].append(run)
    return results


def paired_ratio(slow: list[Run], fast: list[Run]) -> float:
    return statistics.median(s.wall / f.wall for s, f in zip(slow, fast, strict=True))


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("amaz-detainees", "pandas", "pyarrow", "polars",
                                                               "frictionless"))
    return (f"{cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GiB RAM; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {versions}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5, help="paired rounds below 1M rows")
    parser.add_argument("--big-runs", type=int, default=3, help="paired rounds at 1M rows and above")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "amaz-detainees-bench")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say("# Validation benchmark (issue 6)")
    say()
    say(f"Run on {date.today().isoformat()} by `python benchmarks/run.py "
        f"--sizes {' '.join(map(str, args.sizes))} --runs {args.runs} --big-runs {args.big_runs}`.")
    say(f"Machine: {machine()}.")
    say()
    say("Each size is a synthetic package from `benchmarks/synth.py` (shipped schemas, byte-identical; "
        "`events` and `counts` scaled to N rows each, plus one `event_sources` link per new event). "
        "Times are whole processes (start-up included), median of paired, alternating rounds; "
        "peak memory is GNU time's maximum resident set size.")
    say()
    say("| rows per table (N) | rows in package | CSV MB | tool | median s | peak MB | rows/s |")
    say("|---:|---:|---:|---|---:|---:|---:|")
    summary = {}
    for size in args.sizes:
        package = args.work / f"synth-{size}"
        sizes = synth.build(size, package)
        rows = sum(sizes.values())
        csv_mb = sum(p.stat().st_size for p in (package / "data").glob("*.csv")) / 2**20
        results = paired_rounds(package, args.big_runs if size >= 1_000_000 else args.runs)
        for name, runs in results.items():
            wall = statistics.median(r.wall for r in runs)
            peak = statistics.median(r.peak_mb for r in runs)
            say(f"| {size:,} | {rows:,} | {csv_mb:.0f} | {name} | {wall:.2f} | {peak:.0f} | {rows / wall:,.0f} |")
        ours, theirs, floor = (results[n] for n in tools(package))
        summary[size] = {"rows": rows, "csv_mb": csv_mb, "ours": statistics.median(r.wall for r in ours),
                         "ours_peak_mb": max(r.peak_mb for r in ours),
                         "vs_frictionless": paired_ratio(theirs, ours), "vs_floor": paired_ratio(ours, floor)}
    say()
    say("Paired ratios (median over rounds of the per-round ratio):")
    say()
    say("| N | Frictionless ÷ ours | ours ÷ polars floor | our peak memory ÷ CSV bytes |")
    say("|---:|---:|---:|---:|")
    for size, s in summary.items():
        memory = s["ours_peak_mb"] / s["csv_mb"]
        say(f"| {size:,} | {s['vs_frictionless']:.1f}× | {s['vs_floor']:.2f}× | {memory:.2f}× |")
    say()

    checks: list[tuple[str, bool]] = []
    big = max(summary)
    s = summary[big]
    checks.append((f"at N = {big:,}: ours ≥ {TARGETS['vs_frictionless']:.0f}× faster than Frictionless "
                   f"({s['vs_frictionless']:.1f}×)", s["vs_frictionless"] >= TARGETS["vs_frictionless"]))
    checks.append((f"at N = {big:,}: ours ≤ {TARGETS['vs_floor']:.0f}× the polars floor ({s['vs_floor']:.2f}×)",
                   s["vs_floor"] <= TARGETS["vs_floor"]))
    memory = s["ours_peak_mb"] / s["csv_mb"]
    checks.append((f"at N = {big:,}: peak memory ≤ {TARGETS['memory']:.0f}× the CSV bytes "
                   f"({s['ours_peak_mb']:.0f} MB for {s['csv_mb']:.0f} MB: {memory:.2f}×)",
                   memory <= TARGETS["memory"]))
    ordered = sorted(summary)
    if len(ordered) >= 2:
        (n1, a), (n2, b) = (ordered[-2], summary[ordered[-2]]), (ordered[-1], summary[ordered[-1]])
        slope = math.log(b["ours"] / a["ours"]) / math.log(b["rows"] / a["rows"])
        whole = math.log(summary[ordered[-1]]["ours"] / summary[ordered[0]]["ours"]) / math.log(
            summary[ordered[-1]]["rows"] / summary[ordered[0]]["rows"])
        checks.append((f"linear growth: time grows as rows^{slope:.2f} from N = {n1:,} to {n2:,} "
                       f"(rows^{whole:.2f} from {ordered[0]:,}, where start-up dominates); target exponent "
                       f"≤ {TARGETS['slope']}", slope <= TARGETS["slope"]))

    shipped = [measure([str(BIN / "amaz-detainees"), "validate"]) for _ in range(args.runs * 2 + 1)]
    shipped_wall = statistics.median(r.wall for r in shipped)
    checks.append((f"shipped package: `amaz-detainees validate` median {shipped_wall:.2f} s wall over "
                   f"{len(shipped)} runs (target ≤ {TARGETS['shipped']} s)", shipped_wall <= TARGETS["shipped"]))
    load_ratio, ours_load, base_load = load_speed.paired(runs=args.runs * 2 + 1)
    checks.append((f"load (issue 1): `ad.load('counts')` {ours_load:.3f} s vs `pd.read_csv` {base_load:.3f} s, "
                   f"paired ratio {load_ratio:.3f} (target ≤ {TARGETS['load_ratio']})",
                   load_ratio <= TARGETS["load_ratio"]))

    planted_dir = args.work / f"synth-{big}-planted"
    row = synth.build(big, planted_dir, plant="duplicate-key")["planted_row"]
    planted = measure([str(BIN / "amaz-detainees"), "validate", str(planted_dir), "--json"])
    report = json.loads(planted.output[:planted.output.rindex("}") + 1])
    found = [e for e in report["errors"] if e["table"] == "counts" and e["row"] == row and e["field"] == "count_id"]
    checks.append((f"planted duplicate key at counts row {row:,} of N = {big:,}: exit {planted.exit_code}, "
                   f"{len(report['errors'])} problem(s) reported, "
                   + (f"including `{found[0]['check']}` at table counts, row {row:,}, field count_id"
                      if found else "NOT at the planted cell") + f" ({planted.wall:.1f} s)",
                   planted.exit_code == 1 and len(found) == 1 and len(report["errors"]) == 1))

    say("Targets:")
    say()
    for text, ok in checks:
        say(f"- {'MET' if ok else 'MISSED'}: {text}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
