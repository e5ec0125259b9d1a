"""The dataset's website: static pages built from a valid package (``amaz-detainees site --out DIR``).

Every page is generated from the tables and views, with Jinja2 templates (the ``site`` extra); nothing
is typed by hand that the data knows. The site works from ``file://`` and any static host: no server,
no network, no script from elsewhere. ``catalog`` describes it for catalogues (schema.org JSON-LD,
Croissant), ``downloads`` writes the files offered for download, ``charts`` draws the SVG charts and
``pages`` computes what each page shows.
"""

from .build import SiteError, SiteResult, build_site
from .catalog import CROISSANT_CONTEXT, CROISSANT_VERSION, DATA_TYPES, croissant, dataset_jsonld
from .downloads import Download

__all__ = ["CROISSANT_CONTEXT", "CROISSANT_VERSION", "DATA_TYPES", "Download", "SiteError", "SiteResult",
           "build_site", "croissant", "dataset_jsonld"]
