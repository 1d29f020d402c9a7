"""Full texts: an article's whole text from its web page (reader/library/fulltext.py makes
it), kept beside the feed's own text, so it reads offline. The reader shows it while it is
`shown` (F toggles); search finds the words of both (indexing.py indexes it with the
article). A page that gave no article is remembered too, with why, so a feed's refresh
does not ask for it again."""

from __future__ import annotations

from datetime import UTC, datetime

from reader.library.base import StorageBase
from reader.library.rows import stored_body

FULL_TEXTS_AT_ONCE = 50  # pages a feed refresh fetches at most (the rest: the next one)


class FullTextStore(StorageBase):
    """Full-text methods of `Library`."""

    def set_full_text(self, article_id: int, markdown: str) -> None:
        """Keep the article's full text (shown from now on); its words join the index."""
        self._put_full(article_id, stored_body(markdown), "")

    def full_text_failed(self, article_id: int, error: str) -> None:
        """The page gave no article: remembered, so a refresh does not ask again (F does).
        A full text kept already stays."""
        self._put_full(article_id, None, error)

    def _put_full(self, article_id: int, body: str | bytes | None, error: str) -> None:
        fetched = datetime.now(UTC).isoformat(timespec="seconds")
        keep = " WHERE full_texts.body IS NULL" if body is None else ""
        with self.transaction(), self.reindexing([article_id]):
            if self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                self.db.execute(
                    "INSERT INTO full_texts(article_id, body, error, shown, fetched)"
                    " VALUES (?, ?, ?, 1, ?) ON CONFLICT(article_id) DO UPDATE SET"
                    " body = excluded.body, error = excluded.error, shown = 1,"
                    f" fetched = excluded.fetched{keep}",
                    (article_id, body, error, fetched),
                )

    def show_full_text(self, article_id: int, shown: bool) -> None:
        """Show the full text (True) or the feed's own (False)."""
        with self.transaction():
            self.db.execute(
                "UPDATE full_texts SET shown = ? WHERE article_id = ?", (int(shown), article_id)
            )

    def set_feed_full_text(self, feed_id: int, on: bool) -> None:
        """The feed's new articles get their full text as it is refreshed (or not)."""
        with self.transaction():
            self.db.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (int(on), feed_id))

    def wanting_full_text(self, limit: int = FULL_TEXTS_AT_ONCE) -> list[tuple[int, str]]:
        """(id, link) of articles of --full-text feeds with an http(s) link and no full text
        asked for yet, newest first."""
        rows = self.db.execute(
            "SELECT a.id, a.url FROM feeds f JOIN articles a ON a.root_id = f.root_id"
            " WHERE f.full_text = 1 AND (a.url LIKE 'http://%' OR a.url LIKE 'https://%')"
            " AND NOT EXISTS (SELECT 1 FROM full_texts t WHERE t.article_id = a.id)"
            " ORDER BY a.sort_ts DESC, a.id DESC LIMIT ?",
            (limit,),
        )
        return [(int(i), str(url)) for i, url in rows]
