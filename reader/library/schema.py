"""The library's schema, as an ordered list of migrations (PRAGMA user_version counts them)."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, their sources (import roots), and category/tag terms for filters and counts.
    """
    CREATE TABLE roots (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        root_id INTEGER REFERENCES roots(id),
        size INTEGER NOT NULL DEFAULT 0,
        mtime_ns INTEGER NOT NULL DEFAULT 0,
        hash TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        date TEXT,
        sort_ts REAL NOT NULL,
        categories TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        url TEXT,
        kind TEXT NOT NULL DEFAULT 'markdown',
        body TEXT NOT NULL DEFAULT '',
        words INTEGER NOT NULL DEFAULT 0,
        chars INTEGER NOT NULL DEFAULT 0,
        missing INTEGER NOT NULL DEFAULT 0,
        imported TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        read INTEGER NOT NULL DEFAULT 0,
        bookmarked INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_by_date ON articles(sort_ts DESC, id DESC);
    CREATE INDEX articles_by_root ON articles(root_id);
    CREATE INDEX articles_unread ON articles(sort_ts DESC, id DESC) WHERE read = 0;
    CREATE INDEX articles_bookmarked ON articles(sort_ts DESC, id DESC) WHERE bookmarked = 1;
    CREATE TABLE article_text (
        id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        text TEXT NOT NULL
    );
    CREATE TABLE terms (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('category', 'tag')),
        name TEXT NOT NULL,
        PRIMARY KEY (kind, name, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX terms_by_article ON terms(article_id);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
