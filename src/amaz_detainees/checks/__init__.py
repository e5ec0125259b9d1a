"""Check a package: every rule from bytes to cross-table arithmetic, all problems in one report.

Stage by stage: ``hashes`` (files against their recorded sha256), ``constraints`` (Table Schema
constraints and keys on typed columns), ``rules`` (cross-table rules), ``relations`` (declared
arithmetic between counts, provisions against handovers), ``errata`` (corrections that point at real
rows), ``voice`` (neutral wording and privacy), ``conformance`` (the Frictionless pass), and
``validate_package``, which runs them all and builds the report.
"""

from .constraints import enum_problems
from .errata import errata_problems
from .hashes import content_digest, digest, file_digest, hash_problems
from .relations import carried_out_claims, persons_moved
from .rules import MEASURE_UNITS, RULES
from .trust import SHIPPED_RECORD, is_trusted, package_digest, remember, shipped_record
from .validate_package import check_table, validate
from .voice import SURNAME_ENDINGS, VOICES, Vocabulary, loaded_terms, not_names, policy_rows, text_problems

__all__ = ["MEASURE_UNITS", "RULES", "SHIPPED_RECORD", "SURNAME_ENDINGS", "VOICES", "Vocabulary", "carried_out_claims",
           "check_table", "content_digest", "digest", "enum_problems", "errata_problems", "file_digest",
           "hash_problems", "is_trusted", "loaded_terms", "not_names", "package_digest", "persons_moved",
           "policy_rows", "remember", "shipped_record", "text_problems", "validate"]
