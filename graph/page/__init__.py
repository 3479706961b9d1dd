"""The interactive page: page model, layout, style, templates, pyvis and notebook display.

>>> from graph.page import PAGE_VIEWS
>>> "story" in PAGE_VIEWS
True
"""

from __future__ import annotations

from .model import PAGE_VIEWS, PageModel, page_model

__all__ = ["PAGE_VIEWS", "PageModel", "page_model"]
