"""The SQLite schema as a list of migrations; ``PRAGMA user_version`` records the version.

Never edit a released migration: append a new one. Opening an older store applies the
missing migrations in one transaction each.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: articles
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        url TEXT,
        source TEXT,
        title TEXT,
        published TEXT,
        language TEXT,
        author TEXT,
        date_basis TEXT,
        text TEXT NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_source ON articles(source);
    """,
    # 2: stage bookkeeping, per-article features, reuse links
    """
    CREATE TABLE stage_done (
        stage TEXT NOT NULL,
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (stage, article)
    ) WITHOUT ROWID;
    CREATE TABLE features (
        kind TEXT NOT NULL,
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        data BLOB NOT NULL,
        PRIMARY KEY (kind, article)
    ) WITHOUT ROWID;
    CREATE TABLE reuse_links (
        source TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        derived TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        score REAL NOT NULL,
        direction_basis TEXT NOT NULL,
        alignments TEXT NOT NULL,
        PRIMARY KEY (source, derived)
    );
    CREATE INDEX reuse_links_derived ON reuse_links(derived);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
