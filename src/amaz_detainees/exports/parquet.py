"""Parquet: one file per table with Arrow types, plus a datapackage.json that Frictionless validates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq

from ..package import DESCRIPTOR, json_copy, write_json
from .arrow_types import to_arrow
from .source import ExportSource


def write(source: ExportSource, out: Path) -> list[Path]:
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "schemas").mkdir(parents=True, exist_ok=True)
    descriptor = json_copy(source.package.descriptor)
    written: list[Path] = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        table = to_arrow(source.frames[name], source.fields(name), resource.get("description", ""))
        target = out / "data" / f"{name}.parquet"
        pq.write_table(table, target, compression="zstd")
        shutil.copyfile(source.package.schema_path(name), out / resource["schema"])
        for key in ("encoding", "dialect", "bytes", "hash"):  # Frictionless counts bytes of text files only
            resource.pop(key, None)
        resource.update(path=f"data/{name}.parquet", format="parquet", mediatype="application/vnd.apache.parquet")
        written += [target, out / resource["schema"]]
    descriptor_path = out / DESCRIPTOR
    write_json(descriptor_path, descriptor)
    return [descriptor_path, *written]
