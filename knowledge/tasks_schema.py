"""Migrations for the tasks tables (numbered; never edit one that has shipped)."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("tasks")
