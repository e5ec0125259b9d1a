"""Maintain the package files: canonical layout (``fmt``), hashes and citation stamps (``stamp``), the
generated codebook (``codebook``) and corrections written with their errata (``corrections``)."""

from .codebook import render
from .corrections import Correction, CorrectionError, apply_corrections, read_corrections
from .fmt import NotFormattable, plan, write
from .stamping import citation_drift, record_shipped_validation, shipped_record_drift, stamp, stamp_citation

__all__ = ["Correction", "CorrectionError", "NotFormattable", "apply_corrections", "citation_drift", "plan",
           "read_corrections", "record_shipped_validation", "render", "shipped_record_drift", "stamp",
           "stamp_citation", "write"]
