"""Fail when a notebook's committed .ipynb has drifted from its jupytext .py (py:percent) source.

For every notebooks/NN-*.py and NN-*.ipynb: both must exist, and the .ipynb must hold the same cells (cell type and
source, in order) that jupytext reads from the .py. Outputs and metadata are not compared. Exit 0 when all pairs
match, 1 otherwise, naming each drifted, missing or orphaned file.

Fix a drifted pair with: jupytext --update --to ipynb notebooks/NN-name.py (it honours notebooks/jupytext.toml;
--update keeps the cell ids, so the diff shows only the changed cells).
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

HERE = Path(__file__).resolve().parent
PATTERN = "[0-9][0-9]-*"


def cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def check(directory: Path = HERE) -> list[str]:
    """The problems found, one message each; empty when every pair matches."""
    scripts = {p.stem: p for p in directory.glob(f"{PATTERN}.py")}
    notebooks = {p.stem: p for p in directory.glob(f"{PATTERN}.ipynb")}
    problems = [f"{scripts[s].name}: no paired {s}.ipynb (run: jupytext --to ipynb {scripts[s].name})"
                for s in sorted(scripts.keys() - notebooks.keys())]
    problems += [f"{notebooks[s].name}: orphaned, no {s}.py source" for s in sorted(notebooks.keys() - scripts.keys())]
    for stem in sorted(scripts.keys() & notebooks.keys()):
        committed = nbformat.read(notebooks[stem], as_version=4)
        expected, actual = cells(jupytext.read(scripts[stem], fmt="py:percent")), cells(committed)
        if expected != actual:
            first = next((i for i, (e, a) in enumerate(zip(expected, actual, strict=False)) if e != a),
                         min(len(expected), len(actual)))
            problems.append(f"{stem}.py / {stem}.ipynb drifted: {len(expected)} vs {len(actual)} cells, first "
                            f"difference at cell {first + 1} (run: jupytext --update --to ipynb {stem}.py)")
        if any(c.get("outputs") for c in committed.cells):
            problems.append(f"{stem}.ipynb carries outputs; regenerate it without them (jupytext --to ipynb {stem}.py)")
    if not scripts:
        problems.append(f"no notebooks matching {PATTERN}.py in {directory}")
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(f"check_pairs: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_pairs: {len(list(HERE.glob(f'{PATTERN}.py')))} notebook pairs match")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
