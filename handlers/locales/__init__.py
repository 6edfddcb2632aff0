"""User-facing text: one module per language (vi first, en second)."""
