"""The version has one source: ``version`` in the shipped datapackage.json.

hatch reads the same field when building (pyproject ``[tool.hatch.version]``), and ``amaz-detainees stamp``
copies it into CITATION.cff, so the version is edited in one place only.
"""

from .package import shipped

__version__: str = str(shipped().descriptor["version"])
