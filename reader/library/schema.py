"""The library's schema, as an ordered list of migrations (PRAGMA user_version counts them)."""

from __future__ import annotations

from reader.library.fts import CREATE

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
    CREATE TABLE terms (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('category', 'tag')),
        name TEXT NOT NULL,
        PRIMARY KEY (kind, name, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX terms_by_article ON terms(article_id);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: the reader's own state: bookmark notes, user tags beside source tags, source tags
    # the user removed, and a stable uid to match articles across moves and rebuilds.
    """
    ALTER TABLE articles ADD COLUMN note TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN uid TEXT NOT NULL DEFAULT '';
    UPDATE articles SET uid = 'file:' || hash;
    CREATE INDEX articles_by_hash ON articles(hash);
    CREATE INDEX articles_by_uid ON articles(uid);
    CREATE TABLE terms_v2 (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('category', 'tag')),
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT 'source' CHECK (origin IN ('source', 'user')),
        pos INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (kind, key, article_id)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO terms_v2(article_id, kind, key, name)
        SELECT article_id, kind, casefold(name), name FROM terms;
    DROP TABLE terms;
    ALTER TABLE terms_v2 RENAME TO terms;
    CREATE INDEX terms_by_article ON terms(article_id);
    CREATE TABLE hidden_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',  -- the source's spelling and place, to show it again
        pos INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, key)
    ) WITHOUT ROWID;
    """,
    # 3: full-text search (see search.py); the store fills it in Python after this step.
    CREATE + ";",
    # 4: searches saved as named views in the sidebar.
    """
    CREATE TABLE saved_views (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    """,
    # 5: plain text is derived from the Markdown body when indexing, not stored twice.
    "DROP TABLE IF EXISTS article_text;",
    # 6: index entries get rowids in date order, so "newest matches first" walks the index
    # instead of sorting every match (86k hits: 0.5 ms for the first page, not 120 ms).
    """
    ALTER TABLE articles ADD COLUMN fts_rowid INTEGER;
    UPDATE articles SET fts_rowid = (max(0, CAST(sort_ts AS INTEGER)) << 20) | (id & 1048575);
    CREATE UNIQUE INDEX articles_by_fts_rowid ON articles(fts_rowid);
    """,
    # 7: feeds (RSS, Atom, JSON Feed). Each has an import root (`feed:URL`) that names it in
    # Sources; its entries are articles with paths `feed:ID:KEY`.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        named INTEGER NOT NULL DEFAULT 0,  -- the user chose the name: keep it
        tag TEXT NOT NULL DEFAULT '',
        keep INTEGER,
        keep_days INTEGER,
        etag TEXT,
        modified TEXT,
        checked TEXT,
        error TEXT NOT NULL DEFAULT '',
        root_id INTEGER NOT NULL REFERENCES roots(id)
    );
    -- entries retention removed: a feed that still lists them must not bring them back
    CREATE TABLE feed_pruned (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        PRIMARY KEY (feed_id, key)
    ) WITHOUT ROWID;
    """,
    # 8: orders (see order.py): undated articles after the dated ones, ties by the numbers
    # in their titles, and by title. tie_key() and title_key() are the store's functions.
    """
    ALTER TABLE articles ADD COLUMN order_ts INTEGER;  -- NULL: undated
    ALTER TABLE articles ADD COLUMN tie_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
    UPDATE articles SET tie_key = tie_key(title), title_key = title_key(title),
        order_ts = CASE WHEN date IS NULL THEN NULL ELSE max(0, CAST(sort_ts AS INTEGER)) END;
    DROP INDEX articles_by_date;
    DROP INDEX articles_unread;
    DROP INDEX articles_bookmarked;
    CREATE INDEX articles_by_date ON articles(order_ts DESC, tie_key DESC, id DESC);
    CREATE INDEX articles_unread ON articles(order_ts DESC, tie_key DESC, id DESC)
        WHERE read = 0;
    CREATE INDEX articles_bookmarked ON articles(order_ts DESC, tie_key DESC, id DESC)
        WHERE bookmarked = 1;
    CREATE INDEX articles_by_title ON articles(title_key, fts_rowid);
    CREATE INDEX articles_unread_by_title ON articles(title_key, fts_rowid) WHERE read = 0;
    CREATE INDEX articles_bookmarked_by_title ON articles(title_key, fts_rowid)
        WHERE bookmarked = 1;
    """,
    # 9: a fast import lists articles first and indexes them after (see ingest.py): an
    # article not in the search index yet has indexed = 0 (as are those a rebuild killed
    # midway left out, and all of a library from before step 6, whose index step 6
    # emptied), until `index_pending` (the app, an import or doctor) has been through them.
    # An HTML post keeps its HTML, compressed (html = 1), made Markdown when shown.
    """
    ALTER TABLE articles ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE articles ADD COLUMN html INTEGER NOT NULL DEFAULT 0;
    UPDATE articles SET indexed = 0
        WHERE NOT EXISTS (SELECT 1 FROM search_docsize d WHERE d.id = articles.fts_rowid);
    CREATE INDEX articles_unindexed ON articles(fts_rowid) WHERE indexed = 0;
    DELETE FROM settings WHERE key = 'search.rebuilt_to';
    """,
    # 10: the index writes its pending terms out every 16 MB (not 1 MB) and merges 16
    # segments of a size (not 4): an import's index costs a third less CPU (45 s -> 30 s
    # for 100,000 posts, docs/internals.md), searches as fast. Settings of the index,
    # kept in it for every connection.
    """
    INSERT INTO search(search, rank) VALUES ('hashsize', 16777216);
    INSERT INTO search(search, rank) VALUES ('automerge', 16);
    """,
    # 11: terms of any kind in views.KINDS (author…), not only categories and tags: a new
    # term kind needs no step of its own.
    """
    CREATE TABLE terms_v3 (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT 'source' CHECK (origin IN ('source', 'user')),
        pos INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (kind, key, article_id)
    ) WITHOUT ROWID;
    INSERT INTO terms_v3 SELECT article_id, kind, key, name, origin, pos FROM terms;
    DROP TABLE terms;
    ALTER TABLE terms_v3 RENAME TO terms;
    CREATE INDEX terms_by_article ON terms(article_id);
    """,
    # 12: sync accounts (see sync_store.py). Each subscription is an import root
    # (`sync:ACCOUNT:feed/N`); each item an article (`sync:ACCOUNT:ITEM`) whose marks the
    # library and the server last agreed on are kept in `synced`.
    """
    CREATE TABLE accounts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never an id again: kept articles name it
        name TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        user TEXT NOT NULL,
        api TEXT NOT NULL,
        since REAL,
        listed REAL,
        synced TEXT,
        error TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE subscriptions (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        stream TEXT NOT NULL,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        folders TEXT NOT NULL DEFAULT '',
        root_id INTEGER NOT NULL REFERENCES roots(id),
        PRIMARY KEY (account_id, stream)
    );
    CREATE TABLE synced (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        item INTEGER NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        labels TEXT NOT NULL DEFAULT '',
        UNIQUE (account_id, item)
    );
    """,
    # 13: stories (see stories.py): each article's sketch, the story it is in (the id of
    # the story's first article; NULL alone), and the keys its copies are found by. The
    # sketches are made as articles are indexed: indexing.fold_as_now indexes a library
    # from before this step again. (Sketches have a table of their own: written into the
    # articles' rows after them, they split the table's full pages: +35 MB at 100,000.)
    """
    CREATE TABLE sketches (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        sketch BLOB NOT NULL
    );
    ALTER TABLE articles ADD COLUMN story INTEGER;
    CREATE INDEX articles_by_story ON articles(story) WHERE story IS NOT NULL;
    CREATE TABLE story_keys (
        key INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (key, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX story_keys_by_article ON story_keys(article_id);
    """,
    # 14: a feed's own schedule: the app refreshes it every `every` seconds (`feed add
    # --every 2h`); NULL: as the `refresh_every` setting says.
    """
    ALTER TABLE feeds ADD COLUMN every INTEGER;
    """,
    # 15: full texts (see full_store.py): an article's whole text from its page (`F`, or a
    # feed added with --full-text), as Markdown, kept beside the feed's own; or why it could
    # not be had. `shown`: the reader shows it (F again: the feed's text).
    """
    CREATE TABLE full_texts (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        body BLOB,
        error TEXT NOT NULL DEFAULT '',
        shown INTEGER NOT NULL DEFAULT 1,
        fetched TEXT NOT NULL
    );
    ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;
    """,
]

# Steps that need Python after their SQL: version -> Library method name. (The index made
# in step 3 is filled once its rowids exist, in step 6; step 8 moves undated articles.)
AFTER = {6: "index_all_at_step_6", 8: "renumber_undated"}
SCHEMA_VERSION = len(MIGRATIONS)
