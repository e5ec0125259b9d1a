"""How many threads the checks use: pyarrow compute releases the GIL, so two threads overlap the
per-table and per-column work; more gave nothing measurable on the benchmark machines."""

import os

WORKERS = min(2, os.cpu_count() or 1)
