"""Checks of a story graph: SHACL shapes, the evidence quotes, and whether each claim's evidence
mentions the parties it is about.

>>> from graph.check import ValidationReport
>>> ValidationReport.__name__
'ValidationReport'
"""

from __future__ import annotations

from .evidence import EvidenceReport, check_evidence
from .shapes import ValidationReport, count_bases, validate
from .support import SupportReport, check_support

__all__ = ["EvidenceReport", "SupportReport", "ValidationReport", "check_evidence",
           "check_support", "count_bases", "validate"]
