"""Cite the dataset (``dataset``), the sources behind one fact (``facts``), in APA, BibTeX, CSL-JSON or CFF
(``formats``)."""

from .dataset import CHANGELOG_FILE, CITATION_FILE, cite, read_cff, release_date
from .facts import ROUTES, FactCitation, FactNotFound, cite_fact, parse_fact
from .formats import FORMATS

__all__ = ["CHANGELOG_FILE", "CITATION_FILE", "FORMATS", "ROUTES", "FactCitation", "FactNotFound", "cite",
           "cite_fact", "parse_fact", "read_cff", "release_date"]
