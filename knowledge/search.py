"""Procedure search (placeholder: built by the search issue)."""

from __future__ import annotations


class SearchEngine:
    """Placeholder."""
