"""Cold-start cost of ``ad.load("counts")`` against a plain ``pd.read_csv`` of the same file.

Runs both as fresh processes, alternating, and prints the median wall time of each and the median of
the paired ratios. Target (issue 0.1): ratio <= 1.15. Usage: ``python benchmarks/load_speed.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time

TARGET = 1.15


def timed(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def paired(runs: int) -> tuple[float, float, float]:
    """(median paired ratio, median seconds of ours, median seconds of plain pandas) over ``runs`` pairs."""
    from amaz_detainees.package import shipped

    path = shipped().data_path("counts")
    ours = "import amaz_detainees as ad; ad.load('counts')"
    base = f"import pandas as pd; pd.read_csv({str(path)!r})"
    timed(ours), timed(base)  # warm the OS file cache once
    pairs = []
    for i in range(runs):
        if i % 2:
            b, o = timed(base), timed(ours)
        else:
            o, b = timed(ours), timed(base)
        pairs.append((o, b))
    return (statistics.median(o / b for o, b in pairs), statistics.median(o for o, _ in pairs),
            statistics.median(b for _, b in pairs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    import amaz_detainees as ad

    ratio, ours, base = paired(args.runs)
    machine = f"Python {platform.python_version()}, {platform.machine()}"
    print(f"amaz-detainees {ad.__version__}, {machine}, {args.runs} pairs")
    print(f"ad.load('counts')  median {ours:.3f} s")
    print(f"pd.read_csv(file)  median {base:.3f} s")
    print(f"paired ratio median {ratio:.3f} (target <= {TARGET})  {'MET' if ratio <= TARGET else 'NOT MET'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
