"""Procedures: search, cards, lists."""
