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
    # 3: corpus-level stage state (entity registry, event index, claim index) and full-text search
    """
    CREATE TABLE corpus_state (
        name TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts (rowid, title, text) SELECT seq, coalesce(title, ''), text FROM articles;
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
    END;
    """,
    # 4: vectors of texts the readers look up (claim matching), keyed by the encoder and a hash of the
    # text: computed at analysis time, added row by row, never rewritten as a whole
    """
    CREATE TABLE text_vectors (
        model TEXT NOT NULL,
        key BLOB NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, key)
    ) WITHOUT ROWID;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
