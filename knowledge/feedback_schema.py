"""Migrations for the feedback tables (numbered; never edit one that has shipped)."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("feedback")
