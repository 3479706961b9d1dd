"""Reading RDF: parsing with Oxigraph, the format registry, the XML guard, the bundled files.

>>> from graph.read import format_for
>>> from pathlib import Path
>>> format_for(Path("story.ttl")).name
'turtle'
"""

from __future__ import annotations

from .formats import RDF_FORMATS, RdfFormat, format_for
from .parsing import parse_into

__all__ = ["RDF_FORMATS", "RdfFormat", "format_for", "parse_into"]
