"""Fail when an environment holds a distribution that constraints.txt does not pin at that exact version.

The Makefile's installs all read constraints.txt, but a constraint only limits what pip picks: a distribution that
the file does not name is still installed, at whatever version is newest. This check closes that gap after each
install, so a new or changed dependency fails CI until `make lock` has pinned it.

Usage: python3 .ci/check_pins.py PYTHON [--constraints constraints.txt]
Exit 0 when every distribution of PYTHON's environment (amaz-detainees itself aside) is pinned at its installed
version, 1 otherwise, naming each one that is missing from the file or at another version.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SELF = "amaz-detainees"
# Run by the interpreter under check (-I: its own site-packages only, not the working directory nor PYTHON* vars).
LIST = ("import json, importlib.metadata as m; "
        "print(json.dumps(sorted({(d.metadata['Name'], d.version) for d in m.distributions()})))")


def normalise(name: str) -> str:
    """PEP 503 form, so `PyYAML`, `pyyaml` and `py_yaml` are one key."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """normalised name -> pinned version; anything but `name==version` is an error, so the file stays exact."""
    pins: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;,=<>!~]+)", line)
        if not match:
            raise SystemExit(f"{path}:{number}: not an exact `name==version` pin: {raw!r}")
        pins[normalise(match[1])] = match[2]
    return pins


def installed(python: str) -> list[tuple[str, str]]:
    out = subprocess.run([python, "-I", "-c", LIST], check=True, text=True, stdout=subprocess.PIPE).stdout
    return [(name, version) for name, version in json.loads(out)]


def problems(dists: list[tuple[str, str]], pins: dict[str, str]) -> list[str]:
    """One message for each distribution that is not pinned at its installed version."""
    found = []
    for name, version in dists:
        key = normalise(name)
        if key == SELF:
            continue
        if key not in pins:
            found.append(f"{name}=={version} is installed but not in constraints.txt")
        elif pins[key] != version:
            found.append(f"{name}=={version} is installed but constraints.txt pins {pins[key]}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("python", help="the interpreter whose environment to check, e.g. .venv/bin/python")
    parser.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt")
    args = parser.parse_args()

    dists = [(name, version) for name, version in installed(args.python) if normalise(name) != SELF]
    found = problems(dists, read_pins(args.constraints))
    for message in found:
        print(f"check_pins: {args.python}: {message}", file=sys.stderr)
    if found:
        print("check_pins: run `make lock` to pin them (then `make clean test`), or `make clean` if the venv is stale",
              file=sys.stderr)
        return 1
    print(f"check_pins: {args.python}: all {len(dists)} distributions pinned (amaz-detainees aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
