"""Migrations for the feedback tables (numbered; never edit one that has shipped)."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("feedback")


@migrations(name="0001_feedback")
def m0001_feedback(db: Database) -> None:
    """Drafts (the conversation state), records, history, attachments, ratings."""
    db.execute(
        """
        CREATE TABLE feedback_draft (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',      -- open | submitted | cancelled | expired
            step TEXT NOT NULL,                       -- see knowledge.feedback.STEPS
            editing INTEGER NOT NULL DEFAULT 0,       -- 1: return to the summary after this step
            kind TEXT,
            procedure_code TEXT,
            procedure_name TEXT,
            content TEXT,
            latitude REAL,
            longitude REAL,
            anonymous INTEGER,                        -- NULL until the citizen chose
            contact_name TEXT,
            contact_phone TEXT,
            consent_at TEXT,
            consent_policy TEXT,
            feedback_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    # At most one open draft per citizen.
    db.execute(
        "CREATE UNIQUE INDEX feedback_draft_one_open ON feedback_draft (user_id)"
        " WHERE status = 'open'"
    )
    db.execute(
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            draft_id INTEGER UNIQUE REFERENCES feedback_draft (id),
            user_id INTEGER,                          -- NULL once the citizen erased their data
            chat_id INTEGER,
            kind TEXT NOT NULL,
            procedure_code TEXT,
            procedure_name TEXT,
            content TEXT NOT NULL,
            latitude REAL,
            longitude REAL,
            anonymous INTEGER NOT NULL DEFAULT 1,
            contact_name TEXT,
            contact_phone TEXT,
            consent_at TEXT,
            consent_policy TEXT,
            status TEXT NOT NULL DEFAULT 'moi',
            agency TEXT,
            assignee_id INTEGER,
            assignee_name TEXT,
            duplicate_of TEXT,
            hidden INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            due_date TEXT NOT NULL,                   -- YYYY-MM-DD, working days per kind
            answered_at TEXT,
            closed_at TEXT,
            reopen_count INTEGER NOT NULL DEFAULT 0,
            acknowledged_at TEXT,                     -- "Đã ghi nhận" reached the citizen
            queue_chat_id INTEGER,
            queue_message_id INTEGER,
            erased_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX feedback_user ON feedback (user_id, created_at)")
    db.execute("CREATE INDEX feedback_status ON feedback (status, due_date)")
    db.execute("CREATE INDEX feedback_created ON feedback (created_at)")
    db.execute(
        """
        CREATE TABLE feedback_event (
            id INTEGER PRIMARY KEY,
            feedback_id INTEGER NOT NULL REFERENCES feedback (id),
            at TEXT NOT NULL,
            actor_kind TEXT NOT NULL,                 -- citizen | official | system
            actor_id INTEGER,
            actor_name TEXT,
            agency TEXT,
            action TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT,
            note TEXT,
            public INTEGER NOT NULL DEFAULT 1         -- shown to the citizen in /tracuu
        )
        """
    )
    db.execute("CREATE INDEX feedback_event_feedback ON feedback_event (feedback_id, id)")
    db.execute(
        """
        CREATE TABLE attachment (
            id INTEGER PRIMARY KEY,
            draft_id INTEGER REFERENCES feedback_draft (id),
            feedback_id INTEGER REFERENCES feedback (id),
            kind TEXT NOT NULL,                       -- photo | document
            file_id TEXT NOT NULL,
            file_unique_id TEXT,
            file_name TEXT,
            mime_type TEXT,
            file_size INTEGER,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX attachment_draft ON attachment (draft_id)")
    db.execute("CREATE INDEX attachment_feedback ON attachment (feedback_id)")
    db.execute(
        """
        CREATE TABLE rating (
            id INTEGER PRIMARY KEY,
            feedback_id INTEGER NOT NULL REFERENCES feedback (id),
            answer_event_id INTEGER NOT NULL REFERENCES feedback_event (id),
            value TEXT NOT NULL,                      -- hai_long | binh_thuong | khong_hai_long
            at TEXT NOT NULL,
            UNIQUE (feedback_id, answer_event_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE feedback_pending_action (
            official_id INTEGER PRIMARY KEY,          -- one pending text action per official
            chat_id INTEGER NOT NULL,
            feedback_id INTEGER NOT NULL REFERENCES feedback (id),
            action TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE feedback_seen_update (
            update_id INTEGER PRIMARY KEY,
            at TEXT NOT NULL
        )
        """
    )


@migrations(name="0002_unposted_index")
def m0002_unposted_index(db: Database) -> None:
    """The queue poster looks for records not yet in the officials' chat."""
    db.execute("CREATE INDEX feedback_unposted ON feedback (id) WHERE queue_message_id IS NULL")
