"""The procedure catalogue (placeholder: built by the catalogue issue)."""

from __future__ import annotations


class Catalogue:
    """Placeholder."""
