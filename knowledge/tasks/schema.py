"""Migrations for the tasks tables (numbered; never edit one that has shipped)."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("tasks")


@migrations(name="0001_tasks")
def m0001_tasks(db: Database) -> None:
    """Agencies, tasks, their history, pending /capnhat updates and digest runs."""
    db.execute(
        """
        CREATE TABLE task_agency (
            id INTEGER PRIMARY KEY,                   -- short, stable id for callback data
            name TEXT NOT NULL,                       -- first spelling seen wins
            key TEXT NOT NULL UNIQUE                  -- folded name: one agency per key
        )
        """
    )
    db.execute(
        """
        CREATE TABLE task (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,                       -- Mã nhiệm vụ as written
            code_key TEXT NOT NULL UNIQUE,            -- upper-cased code: re-import key
            title TEXT NOT NULL,
            doc_number TEXT,                          -- Văn bản giao
            doc_date TEXT,                            -- Ngày giao, YYYY-MM-DD
            issuer TEXT,                              -- Cơ quan giao
            doc_key TEXT,                             -- folded issuer|number: one document
            area INTEGER,                             -- index into knowledge.tasks.AREAS
            agency_id INTEGER NOT NULL REFERENCES task_agency (id),
            supporting TEXT,                          -- Cơ quan phối hợp, free text
            deadline TEXT,                            -- Thời hạn, YYYY-MM-DD; NULL = thường xuyên
            completed_on TEXT,                        -- Ngày hoàn thành, YYYY-MM-DD
            note TEXT,                                -- Ghi chú from the file
            progress TEXT,                            -- latest progress note from the bot
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX task_agency_idx ON task (agency_id)")
    db.execute("CREATE INDEX task_deadline_idx ON task (completed_on, deadline)")
    db.execute("CREATE INDEX task_area_idx ON task (area)")
    db.execute(
        """
        CREATE TABLE task_event (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task (id),
            at TEXT NOT NULL,                         -- ISO timestamp, Asia/Ho_Chi_Minh
            actor_id INTEGER,                         -- Telegram id; NULL for an import
            actor_name TEXT,
            agency TEXT,
            action TEXT NOT NULL,                     -- created | imported | updated
            changes TEXT,                             -- JSON {field: [old, new]}
            note TEXT
        )
        """
    )
    db.execute("CREATE INDEX task_event_task ON task_event (task_id, id)")
    db.execute(
        """
        CREATE TABLE task_pending_update (
            official_id INTEGER PRIMARY KEY,          -- one guided update per official
            chat_id INTEGER NOT NULL,
            task_id INTEGER NOT NULL REFERENCES task (id),
            step TEXT NOT NULL,                       -- status | note
            choice TEXT,                              -- done | open | note (after the status step)
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE task_digest_run (
            day TEXT PRIMARY KEY,                     -- YYYY-MM-DD the digest went out
            at TEXT NOT NULL,
            chats INTEGER NOT NULL
        )
        """
    )
