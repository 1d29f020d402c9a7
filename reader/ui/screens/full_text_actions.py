"""MainScreen's `F`: the open article's full text, from its web page, for feeds that carry
one paragraph. The page is fetched and its article found in a worker (fulltext.py), kept
in the library beside the feed's text (full_store.py), and shown; `F` again switches
between the two, offline. A page that gives no article is said in one line."""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import work

from reader.library.models import Article
from reader.ui.screens.main_base import MainBase

FULL_TEXT_TIMEOUT = 20.0  # seconds for a page's whole fetch


class FullTextActions(MainBase):
    """A part of MainScreen."""

    def action_full_text(self) -> None:
        article = self.body.article
        if article is None:
            self.notify("Open an article first: F fetches its full text.", markup=False)
            return
        if article.full in ("shown", "kept"):
            shown = article.full == "kept"
            self.writer.submit(
                lambda library: library.show_full_text(article.id, shown),
                lambda _: self._show_full(article.id, shown),
            )
            return
        if not article.url or urlsplit(article.url).scheme.lower() not in ("http", "https"):
            self.notify("This article has no web page to fetch its full text from.", markup=False)
            return
        self.notify(f"Fetching the full article from {article.url[:100]}…", markup=False)
        self._fetch_full(article)

    @work(thread=True, group="full-text")
    def _fetch_full(self, article: Article) -> None:
        from reader.library.fulltext import FullTextError, full_text

        try:
            text = full_text(article.url or "", FULL_TEXT_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - a page must never take the app down
            known = exc if isinstance(exc, FullTextError) else None
            problem = str(exc) if known else f"{article.url}: newsreader could not read the page"
            if known is not None and known.lasting:
                self.writer.submit(lambda library: library.full_text_failed(article.id, problem))
            self.app.call_from_thread(
                self.notify, f"No full text: {problem}", severity="warning", markup=False
            )
            return
        self.writer.submit(
            lambda library: library.set_full_text(article.id, text),
            lambda _: self._show_full(article.id, True),
        )

    def _show_full(self, article_id: int, full: bool) -> None:
        if self.open_id == article_id:
            self.open_article(article_id, focus=False, mark=False)
        key = self._key_of("full_text", "F")
        self.notify(
            f"The full article, from its page ({key}: the feed's text)."
            if full
            else f"The feed's own text ({key}: the full article).",
            markup=False,
            timeout=3,
        )
