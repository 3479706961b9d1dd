"""Checks of a story graph: SHACL shapes and the evidence quotes.

>>> from graph.check import ValidationReport
>>> ValidationReport.__name__
'ValidationReport'
"""

from __future__ import annotations

from .evidence import EvidenceReport, check_evidence
from .shapes import ValidationReport, validate

__all__ = ["EvidenceReport", "ValidationReport", "check_evidence", "validate"]
