"""Feeds: every format's entries become clean articles; refresh over a real loopback server
(conditional requests, redirects, gzip, timeouts, errors); updates keep the reader's state;
retention; local feed files; OPML in and out; the `feed` and `refresh` commands.

The server (tests/feeds_server.py) binds 127.0.0.1 only, and every URL used here is its own.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from cli_helpers import run
from feeds_server import FEEDS, FeedServer

from reader.library import Article, Library
from reader.library.body import readable
from reader.library.feeds import (
    Feed,
    FeedError,
    add_feed,
    refresh,
    remove_feed,
    rename_feed,
)
from reader.library.models import View
from reader.library.opml import export_opml, import_opml
from reader.library.query import parse

SLOW_TIMEOUT = 0.5  # the slow route waits far longer; nothing else is near it


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


# ---- helpers ------------------------------------------------------------------------------


def articles(library: Library, source: str) -> dict[str, Article]:
    """The articles of one source, by title."""
    stored: dict[str, Article] = {}
    for summary in library.summaries(View("source", source), limit=1000):
        article = library.article(summary.id)
        assert article is not None
        stored[article.title] = article
    return stored


def everything(library: Library) -> list[Article]:
    return [a for s in library.summaries(limit=10_000) if (a := library.article(s.id))]


def feed_named(library: Library, name: str) -> Feed:
    matches = [f for f in library.feeds() if f.name == name]
    assert len(matches) == 1, [f.name for f in library.feeds()]
    return matches[0]


def instant(iso: str | None) -> datetime:
    assert iso is not None
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def found(library: Library, text: str) -> list[int]:
    return library.search(parse(text))


def rss(*items: tuple[str, str, datetime]) -> str:
    """An RSS 2.0 feed of (guid, title, date) items."""
    body = "".join(
        f"<item><title>{title}</title><guid isPermaLink='false'>{guid}</guid>"
        f"<link>https://example.org/gen/{guid}</link>"
        f"<pubDate>{format_datetime(when)}</pubDate>"
        f"<description>Story {guid} told.</description></item>"
        for guid, title, when in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Generated</title><link>https://example.org/gen/</link>{body}</channel></rss>"
    )


def days_ago(days: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)


# ---- every format -------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What one fixture feed holds: an English entry, a Chinese one and a javascript: link."""

    file: str
    title: str
    word: str  # a word only this entry's body has
    url: str
    tags: tuple[str, ...]
    chinese: str
    chinese_text: str
    chinese_tags: tuple[str, ...]
    sneaky: str
    dated: bool = True


FORMATS = [
    Expected(
        "rss091.xml",
        "Telegraph poles restored",
        "morsecode",
        "https://example.org/rss091/telegraph",
        (),
        "电报线路修复",
        "电报线路已经全部修复",
        (),
        "Sneaky old link",
        dated=False,  # RSS 0.91 items have no dates
    ),
    Expected(
        "rss092.xml",
        "Radio mast raised",
        "shortwaveless",
        "https://example.org/rss092/mast",
        ("Radio",),
        "无线电台新闻",
        "电台今天开始试播",
        ("广播",),
        "Sneaky radio link",
        dated=False,  # nor do 0.92's
    ),
    Expected(
        "rss10.rdf",
        "Orchard harvest doubles",
        "appleseed",
        "https://example.org/rss10/orchard",
        ("Farming",),
        "春茶上市",
        "今年的春茶提前上市",
        ("农业",),
        "Sneaky RDF link",
    ),
    Expected(
        "rss20.xml",
        "Harbour lights return",
        "quayside",
        "https://example.org/rss20/harbour",
        ("Shipping", "Ports"),
        "外贸新政出台",
        "商务部发布十项措施",
        ("经济",),
        "Sneaky link",
    ),
    Expected(
        "atom03.xml",
        "Canal locks reopen",
        "towpath",
        "https://example.org/atom03/canal",
        ("Waterways",),
        "运河重新开放",
        "大运河今天重新通航",
        ("交通",),
        "Sneaky canal link",
    ),
    Expected(
        "atom10.xml",
        "Glacier survey published",
        "crevasse",
        "https://example.org/atom10/glacier",
        ("Climate", "Science"),
        "冰川调查报告",
        "冰川正在退缩",
        ("气候",),
        "Sneaky ice link",
    ),
    Expected(
        "feed.json",
        "Volcano quiet again",
        "magmatic",
        "https://example.org/json11/volcano",
        ("Geology", "Hazards"),
        "火山恢复平静",
        "火山活动明显减弱",
        ("地质",),
        "Sneaky lava link",  # its title carries raw ESC sequences around "lava"
    ),
    Expected(
        "feed10.json",
        "Comet visible tonight",
        "perihelion",
        "https://example.org/json10/comet",
        ("Astronomy",),
        "彗星今晚可见",
        "今晚可以看到彗星",
        ("天文",),
        "Sneaky comet link",
    ),
]


def check_entries(library: Library, name: str, expected: Expected) -> None:
    """The feed's three entries, as `expected` says, and nothing hostile left in them."""
    stored = articles(library, name)
    assert set(stored) == {expected.title, expected.chinese, expected.sneaky}
    shown = {title: readable(a.kind, a.body, a.html)[1] for title, a in stored.items()}
    for article in stored.values():
        assert article.source == name
        for text in (article.title, shown[article.title]):
            assert "\x1b" not in text and "[31m" not in text and "[0m" not in text
            assert "script-payload" not in text
        # (A javascript: link inside the body may stay as Markdown, as it does in imported
        # HTML posts: the viewer decides what a link may do. It is never the article's url.)
        assert article.url is None or article.url.startswith("https://example.org/")
        assert "wire" in article.tags

    english = stored[expected.title]
    assert expected.word in shown[expected.title]
    assert "RED" in shown[expected.title]  # the text around the escape sequence stays
    assert english.url == expected.url
    assert set(english.tags) == {*expected.tags, "wire"}

    chinese = stored[expected.chinese]
    assert expected.chinese_text in shown[expected.chinese]
    assert set(chinese.tags) == {*expected.chinese_tags, "wire"}

    assert stored[expected.sneaky].url is None  # a javascript: link is no article url

    if expected.dated:
        assert instant(english.date) == datetime(2022, 5, 20, 5, 43, 49, tzinfo=UTC)
        # ... at the offset it was published with (13:43 +08:00), not turned into UTC
        assert datetime.fromisoformat(english.date or "").utcoffset() == timedelta(hours=8)
        assert instant(chinese.date) == datetime(2022, 5, 19, 8, 0, tzinfo=UTC)
        newest_first = [s.title for s in library.summaries(View("source", name))]
        assert newest_first == [expected.title, expected.chinese, expected.sneaky]


@pytest.mark.parametrize("expected", FORMATS, ids=[e.file for e in FORMATS])
def test_each_format_over_http(library: Library, server: FeedServer, expected: Expected) -> None:
    feed = add_feed(library, server.feed(expected.file), tag="wire", name="Fixture")
    assert feed.url == server.feed(expected.file) and feed.tag == "wire"
    assert feed.checked is None and feed.error == "" and feed.articles == 0

    [result] = refresh(library.path)
    assert result.error is None and not result.not_modified
    assert (result.new, result.updated, result.pruned) == (3, 0, 0)

    check_entries(library, "Fixture", expected)
    assert [(f.name, f.count, f.unread) for f in library.facets("source")] == [("Fixture", 3, 3)]
    [stored] = library.feeds()
    assert (stored.articles, stored.unread, stored.error) == (3, 3, "")
    assert stored.checked is not None and datetime.fromisoformat(stored.checked)
    assert found(library, expected.word) == [articles(library, "Fixture")[expected.title].id]


def test_a_feed_without_a_name_is_listed_under_one(library: Library, server: FeedServer) -> None:
    add_feed(library, server.feed("atom10.xml"))
    refresh(library.path)
    [feed] = library.feeds()
    assert feed.name  # whatever it is called (its title, once fetched), Sources says the same
    assert [f.name for f in library.facets("source")] == [feed.name]
    assert len(articles(library, feed.name)) == 3


def test_search_finds_feed_entries_by_word_and_chinese_text(
    library: Library, server: FeedServer
) -> None:
    add_feed(library, server.feed("rss20.xml"), name="Wire")
    refresh(library.path)
    stored = articles(library, "Wire")
    assert found(library, "quayside") == [stored["Harbour lights return"].id]
    assert found(library, "十项措施") == [stored["外贸新政出台"].id]
    assert found(library, "source:Wire") != []


# ---- refreshing many feeds at once --------------------------------------------------------


def test_refresh_reports_each_feed_and_one_failure_never_stops_the_others(
    library: Library, server: FeedServer
) -> None:
    # Every format once: RSS 2.0 through a redirect, Atom 1.0 gzipped.
    good = {
        e.file: server.feed(e.file) for e in FORMATS if e.file not in ("rss20.xml", "atom10.xml")
    }
    good["redirect"] = server.url("/redirect/301/rss20.xml")
    good["gzip"] = server.url("/gzip/atom10.xml")
    bad = {
        "slow": server.url("/slow/rss20.xml"),
        "missing": server.url("/status/404"),
        "broken server": server.url("/status/500"),
        "malformed": server.feed("broken.xml"),
        "web page": server.feed("notfeed.html"),
    }
    for name, url in (good | bad).items():
        add_feed(library, url, name=name)
    seen: list[str] = []

    results = refresh(
        library.path, timeout=SLOW_TIMEOUT, progress=lambda done, total, name: seen.append(name)
    )

    assert sorted(seen) == sorted(good | bad)
    outcome = {r.feed.name: r for r in results}
    assert set(outcome) == set(good | bad)
    for name in good:
        assert outcome[name].error is None, name
        assert outcome[name].new == 3, name
    for name in bad:
        assert outcome[name].error, name
        assert (outcome[name].new, outcome[name].updated) == (0, 0)
    # Each problem in words, never an exception's repr.
    assert outcome["missing"].error == "the server answered 404 Not Found"
    assert outcome["broken server"].error == "the server answered 500 Internal Server Error"
    assert outcome["slow"].error == "no answer within 0.5 s"  # gave up after the timeout
    assert outcome["malformed"].error == "not a feed: the XML ends at line 5"
    assert outcome["web page"].error == "not a feed: a web page (HTML), not RSS, Atom or JSON Feed"
    assert outcome["missing"].line() == "missing: the server answered 404 Not Found"

    stored = {f.name: f for f in library.feeds()}
    for name in good:
        assert stored[name].error == "" and stored[name].articles == 3
    for name in bad:
        assert stored[name].error == outcome[name].error
        assert stored[name].articles == 0 and stored[name].checked is not None
    assert library.count() == 3 * len(good)


def test_refresh_of_named_feeds_fetches_only_those(library: Library, server: FeedServer) -> None:
    add_feed(library, server.feed("rss20.xml"), name="Wire")
    add_feed(library, server.feed("atom10.xml"), name="Ice")
    [result] = refresh(library.path, ["Ice"])
    assert result.feed.name == "Ice" and result.new == 3
    assert server.requests_to("/feeds/rss20.xml") == []
    with pytest.raises(FeedError, match="Nowhere"):
        refresh(library.path, ["Nowhere"])


def test_an_error_is_cleared_by_the_next_success(library: Library, server: FeedServer) -> None:
    url = server.url("/swap/flaky")  # nothing there yet: 404
    add_feed(library, url, name="Flaky")
    [first] = refresh(library.path)
    assert first.error and "404" in first.error
    assert feed_named(library, "Flaky").error == first.error

    server.swap_file("flaky", "rss20.xml")
    [second] = refresh(library.path)
    assert second.error is None and second.new == 3
    assert feed_named(library, "Flaky").error == ""


def test_two_feeds_with_the_same_entries_each_keep_their_own(
    library: Library, server: FeedServer
) -> None:
    """The same feed under two addresses (or two feeds sharing entries): each feed has its
    own articles, and a refresh moves none of them from one feed to the other."""
    data = (FEEDS / "atom10.xml").read_bytes()
    add_feed(library, server.swap("one", data, etag=False, last_modified=None), name="One")
    add_feed(library, server.swap("two", data, etag=False, last_modified=None), name="Two")
    first = {r.feed.name: r for r in refresh(library.path)}
    assert first["One"].new == first["Two"].new == 3
    for _ in range(2):
        again = {r.feed.name: r for r in refresh(library.path)}
        assert again["One"].new == again["Two"].new == 0
        assert {f.name: f.articles for f in library.feeds()} == {"One": 3, "Two": 3}
        assert len(articles(library, "One")) == len(articles(library, "Two")) == 3


# ---- HTTP: conditional requests, redirects, gzip ------------------------------------------


def test_an_unchanged_feed_is_not_fetched_again(library: Library, server: FeedServer) -> None:
    url = server.feed("rss20.xml")
    add_feed(library, url, name="Wire")
    [first] = refresh(library.path)
    feed = feed_named(library, "Wire")
    assert first.new == 3 and feed.etag and feed.modified
    before = {a.id: a for a in everything(library)}

    [second] = refresh(library.path)

    assert second.not_modified and second.error is None
    assert (second.new, second.updated, second.pruned) == (0, 0, 0)
    requests = server.requests_to(url)
    assert len(requests) == 2
    assert "if-none-match" not in requests[0].headers
    assert requests[1].headers.get("if-none-match") == feed.etag
    assert {a.id: a for a in everything(library)} == before
    assert feed_named(library, "Wire").error == ""


def test_last_modified_alone_is_sent_back_as_if_modified_since(
    library: Library, server: FeedServer
) -> None:
    url = server.swap("dated", (FEEDS / "atom10.xml").read_bytes(), etag=False)
    add_feed(library, url, name="Ice")
    refresh(library.path)
    [second] = refresh(library.path)
    assert second.not_modified and second.new == 0
    last = server.requests_to(url)[-1]
    assert "if-modified-since" in last.headers and "if-none-match" not in last.headers


def test_an_unchanged_feed_without_validators_changes_nothing(
    library: Library, server: FeedServer
) -> None:
    url = server.swap("plain", (FEEDS / "rss20.xml").read_bytes(), etag=False, last_modified=None)
    add_feed(library, url, name="Wire")
    refresh(library.path)
    [second] = refresh(library.path)
    assert second.error is None and (second.new, second.updated) == (0, 0)
    assert library.count() == 3


@pytest.mark.parametrize("code", [301, 302, 307])
def test_redirects_are_followed(library: Library, server: FeedServer, code: int) -> None:
    add_feed(library, server.url(f"/redirect/{code}/atom10.xml"), name="Ice", tag="wire")
    [result] = refresh(library.path)
    assert result.error is None and result.new == 3
    assert server.requests_to("/feeds/atom10.xml")
    check_entries(library, "Ice", FORMATS[5])


def test_a_gzipped_answer_is_unpacked(library: Library, server: FeedServer) -> None:
    add_feed(library, server.url("/gzip/rss20.xml"), name="Wire", tag="wire")
    [result] = refresh(library.path)
    assert result.error is None and result.new == 3
    [request] = server.requests_to("/gzip/rss20.xml")
    assert "gzip" in request.headers.get("accept-encoding", "")
    check_entries(library, "Wire", FORMATS[3])


# ---- updates keep the reader's state ------------------------------------------------------


def test_a_changed_entry_updates_its_article_and_keeps_the_readers_state(
    library: Library, server: FeedServer
) -> None:
    url = server.swap_file("news", "rss20.xml")
    add_feed(library, url, name="Wire", tag="wire")
    refresh(library.path)
    harbour = articles(library, "Wire")["Harbour lights return"]
    library.set_read([harbour.id])
    library.set_bookmark([harbour.id], True)
    library.set_note(harbour.id, "check the lighthouse")
    library.tag([harbour.id], add=["keeper"])
    others = {t: a.id for t, a in articles(library, "Wire").items()}

    server.swap_file("news", "rss20-v2.xml")
    [result] = refresh(library.path)

    assert result.error is None and (result.new, result.updated) == (1, 1)
    stored = articles(library, "Wire")
    assert set(stored) == {*others, "Ferry timetable changes"}
    after = stored["Harbour lights return"]
    assert after.id == harbour.id
    assert "gangplank" in after.body and "quayside" not in after.body
    assert after.read and after.bookmarked and after.note == "check the lighthouse"
    assert "keeper" in after.user_tags and {"keeper", "wire", "Shipping"} <= set(after.tags)
    assert {t: stored[t].id for t in others} == others
    ferry = stored["Ferry timetable changes"]
    assert not ferry.read and "catamaran" in ferry.body
    assert found(library, "gangplank") == [harbour.id]
    assert found(library, "quayside") == []
    assert found(library, "catamaran") == [ferry.id]
    assert feed_named(library, "Wire").unread == 3


def test_an_entry_without_guid_or_link_keeps_its_identity(
    library: Library, server: FeedServer
) -> None:
    """rss092.xml's Chinese entry has neither: its content identifies it."""
    add_feed(library, server.swap_file("radio", "rss092.xml"), name="Radio")
    refresh(library.path)
    server.swap("radio", (FEEDS / "rss092.xml").read_bytes() + b"\n")  # new bytes, new ETag
    [again] = refresh(library.path)
    assert (again.new, again.updated) == (0, 0)
    assert library.count() == 3


# ---- local feed files ---------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["path", "relative", "file-url"])
@pytest.mark.parametrize("expected", [FORMATS[3], FORMATS[6]], ids=["rss20", "json11"])
def test_a_local_feed_file_works_like_a_url(
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    spelling: str,
    expected: Expected,
) -> None:
    local = tmp_path / "feeds" / expected.file
    local.parent.mkdir()
    shutil.copy(FEEDS / expected.file, local)
    monkeypatch.chdir(tmp_path)
    source = {"path": str(local), "relative": f"feeds/{expected.file}", "file-url": local.as_uri()}

    feed = add_feed(library, source[spelling], name="Local", tag="wire")

    assert feed.url == str(local.resolve())
    [result] = refresh(library.path)
    assert result.error is None and result.new == 3
    check_entries(library, "Local", expected)


def test_a_local_feed_file_is_read_again_on_refresh(library: Library, tmp_path: Path) -> None:
    local = tmp_path / "wire.xml"
    shutil.copy(FEEDS / "rss20.xml", local)
    add_feed(library, str(local), name="Wire")
    refresh(library.path)
    shutil.copy(FEEDS / "rss20-v2.xml", local)
    [result] = refresh(library.path)
    assert (result.new, result.updated) == (1, 1)
    local.unlink()
    [gone] = refresh(library.path)
    assert gone.error == "no such file" and feed_named(library, "Wire").error == gone.error
    assert library.count() == 4  # a missing file removes nothing


# ---- adding, removing, renaming -----------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "ftp://127.0.0.1/feed.xml",
        "data:application/rss+xml,<rss/>",
        "file:///nonexistent/feed.xml",
        "gopher://127.0.0.1/1",
        "http://",
    ],
)
def test_add_refuses_other_schemes(library: Library, source: str) -> None:
    with pytest.raises(FeedError) as caught:
        add_feed(library, source)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert message and ("http" in message or "file" in message)
    assert library.feeds() == []


@pytest.mark.parametrize(
    "command",
    ["touch {pwned}", "$(touch {pwned})", "`touch {pwned}`", "| touch {pwned}", "; touch {pwned}"],
)
def test_add_never_runs_a_command(library: Library, tmp_path: Path, command: str) -> None:
    pwned = tmp_path / "pwned"
    with pytest.raises(FeedError, match="no such file|http"):
        add_feed(library, command.format(pwned=pwned))
    assert not pwned.exists() and library.feeds() == []


def test_add_refuses_a_missing_file_and_a_duplicate(
    library: Library, server: FeedServer, tmp_path: Path
) -> None:
    with pytest.raises(FeedError, match="no such file"):
        add_feed(library, str(tmp_path / "nowhere.xml"))
    with pytest.raises(FeedError, match="no such file"):
        add_feed(library, str(tmp_path))  # a folder is no feed file
    url = server.feed("rss20.xml")
    add_feed(library, url, name="Wire")
    with pytest.raises(FeedError, match="already"):
        add_feed(library, url)
    with pytest.raises(FeedError, match="already"):
        add_feed(library, server.feed("atom10.xml"), name="Wire")
    assert [f.name for f in library.feeds()] == ["Wire"]


def test_remove_keeps_what_the_reader_marked(library: Library, server: FeedServer) -> None:
    add_feed(library, server.feed("rss20-v2.xml"), name="Wire")
    add_feed(library, server.feed("atom10.xml"), name="Ice")
    refresh(library.path)
    wire = articles(library, "Wire")
    library.set_bookmark([wire["Harbour lights return"].id], True)
    library.set_note(wire["外贸新政出台"].id, "read later")
    library.tag([wire["Sneaky link"].id], add=["odd"])
    kept = {wire[t].id for t in ("Harbour lights return", "外贸新政出台", "Sneaky link")}

    assert remove_feed(library, "Wire") == 1

    assert [f.name for f in library.feeds()] == ["Ice"]
    assert library.article(wire["Ferry timetable changes"].id) is None
    assert {a.id for a in everything(library)} == kept | {
        a.id for a in articles(library, "Ice").values()
    }
    assert found(library, "catamaran") == []
    assert found(library, "gangplank") == [wire["Harbour lights return"].id]
    assert remove_feed(library, server.feed("atom10.xml")) == 3  # by URL too
    assert library.feeds() == []
    with pytest.raises(FeedError, match="Wire"):
        remove_feed(library, "Wire")


def test_rename_changes_the_source_name(library: Library, server: FeedServer) -> None:
    add_feed(library, server.feed("rss20.xml"), name="Wire")
    add_feed(library, server.feed("atom10.xml"), name="Ice")
    refresh(library.path)

    rename_feed(library, "Wire", "Harbour News")

    assert sorted(f.name for f in library.feeds()) == ["Harbour News", "Ice"]
    assert {f.name for f in library.facets("source")} == {"Harbour News", "Ice"}
    assert len(articles(library, "Harbour News")) == 3 and articles(library, "Wire") == {}
    assert len(found(library, 'source:"Harbour News"')) == 3
    with pytest.raises(FeedError):
        rename_feed(library, "Harbour News", "Ice")
    with pytest.raises(FeedError):
        rename_feed(library, "Nowhere", "Elsewhere")
    refresh(library.path)  # a refresh does not undo the reader's name
    assert sorted(f.name for f in library.feeds()) == ["Harbour News", "Ice"]


# ---- retention ----------------------------------------------------------------------------


def test_keep_count_prunes_old_entries_but_not_marked_ones(
    library: Library, server: FeedServer
) -> None:
    url = server.swap("gen", rss(("a", "Alpha", days_ago(5)), ("b", "Bravo", days_ago(4))))
    add_feed(library, url, name="Gen", keep=2)
    [first] = refresh(library.path)
    assert (first.new, first.pruned) == (2, 0)
    stored = articles(library, "Gen")
    library.set_bookmark([stored["Alpha"].id], True)
    library.tag([stored["Bravo"].id], add=["mine"])

    server.swap(
        "gen",
        rss(("c", "Charlie", days_ago(3)), ("d", "Delta", days_ago(2)), ("e", "Echo", days_ago(1))),
    )
    [second] = refresh(library.path)

    assert (second.new, second.pruned) == (3, 1)
    assert set(articles(library, "Gen")) == {"Alpha", "Bravo", "Delta", "Echo"}
    assert found(library, "Charlie") == []
    assert feed_named(library, "Gen").keep == 2


def test_keep_days_prunes_entries_older_than_that(library: Library, server: FeedServer) -> None:
    url = server.swap("gen", rss(("a", "Alpha", days_ago(1)), ("b", "Bravo", days_ago(1))))
    add_feed(library, url, name="Gen", keep_days=10)
    [first] = refresh(library.path)
    assert (first.new, first.pruned) == (2, 0)
    stored = articles(library, "Gen")
    library.set_note(stored["Alpha"].id, "keep this")
    library.tag([stored["Bravo"].id], add=["mine"])

    # The same entries, now dated a month back (an update moves them), and two new ones.
    server.swap(
        "gen",
        rss(
            ("a", "Alpha", days_ago(30)),
            ("b", "Bravo", days_ago(30)),
            ("c", "Charlie", days_ago(40)),
            ("d", "Delta", days_ago(2)),
        ),
    )
    [second] = refresh(library.path)

    assert (second.new, second.updated, second.pruned) == (2, 2, 1)
    assert set(articles(library, "Gen")) == {"Alpha", "Bravo", "Delta"}
    assert feed_named(library, "Gen").keep_days == 10


def test_pruned_entries_still_in_the_feed_do_not_come_back(
    library: Library, server: FeedServer
) -> None:
    """A server without ETag or Last-Modified sends the whole feed every time: the entries
    retention removed are not new again on each refresh."""
    items = [
        ("a", "Alpha", days_ago(3)),
        ("b", "Bravo", days_ago(2)),
        ("c", "Charlie", days_ago(1)),
    ]
    url = server.swap("gen", rss(*items), etag=False, last_modified=None)
    add_feed(library, url, name="Gen", keep=1)
    [first] = refresh(library.path)
    assert (first.new, first.pruned) == (3, 2)
    [second] = refresh(library.path)
    assert (second.new, second.updated, second.pruned) == (0, 0, 0)
    assert set(articles(library, "Gen")) == {"Charlie"}


# ---- OPML ---------------------------------------------------------------------------------


def hostile_opml(server: FeedServer, local: Path, pwned: Path) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head><title>subscriptions</title></head>
  <body>
    <outline text="World">
      <outline type="rss" text="Wire" title="Wire" xmlUrl="{server.feed("rss20.xml")}"/>
      <outline type="rss" text="Ice" xmlUrl="{server.feed("atom10.xml")}" category="science"/>
    </outline>
    <outline type="rss" text="Local" xmlUrl="{local.as_uri()}"/>
    <outline type="rss" text="Bad js" xmlUrl="javascript:alert(1)"/>
    <outline type="rss" text="Bad ftp" xmlUrl="ftp://127.0.0.1/feed.xml"/>
    <outline type="script" text="Script" xmlUrl="{server.feed("feed.json")}"/>
    <outline type="rss" text="Shell" xmlUrl="$(touch {pwned})"/>
    <outline type="rss" text="Pipe" xmlUrl="| touch {pwned}"/>
    <outline type="rss" text="Data" xmlUrl="data:application/rss+xml,&lt;rss/&gt;"/>
  </body>
</opml>
"""


def test_opml_import_adds_web_and_file_feeds_only(
    library: Library, server: FeedServer, tmp_path: Path
) -> None:
    local = tmp_path / "local.json"
    shutil.copy(FEEDS / "feed10.json", local)
    pwned = tmp_path / "pwned"
    opml = tmp_path / "subs.opml"
    opml.write_text(hostile_opml(server, local, pwned), encoding="utf-8")

    added, skipped = import_opml(library, opml)

    assert sorted(f.name for f in added) == ["Ice", "Local", "Wire"]
    feeds = {f.name: f for f in library.feeds()}
    assert set(feeds) == {"Ice", "Local", "Wire"}
    assert feeds["Wire"].tag == "World" and feeds["Ice"].tag == "science"
    assert not feeds["Local"].tag
    assert feeds["Local"].url == str(local.resolve())
    assert len(skipped) == 6
    assert any("script" in message for message in skipped)
    assert any("javascript" in message for message in skipped)
    assert any("ftp" in message for message in skipped)
    assert not pwned.exists()

    results = refresh(library.path)
    assert all(r.error is None and r.new == 3 for r in results)
    assert set(articles(library, "Wire")["Harbour lights return"].tags) >= {"World", "Shipping"}


def test_opml_import_of_something_else_fails_clearly(library: Library, tmp_path: Path) -> None:
    for name, text in [("bad.opml", "<opml><body><outline"), ("rss.opml", "<rss/>")]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(FeedError, match="OPML"):
            import_opml(library, path)
    with pytest.raises(FeedError):
        import_opml(library, tmp_path / "missing.opml")
    assert library.feeds() == []


def test_opml_export_round_trip_keeps_urls_names_and_tags(
    library: Library, server: FeedServer, tmp_path: Path
) -> None:
    local = tmp_path / "local.xml"
    shutil.copy(FEEDS / "rss10.rdf", local)
    add_feed(library, server.feed("rss20.xml"), name="Wire", tag="news")
    add_feed(library, server.feed("feed.json"), name="火山 & <Lava>", tag="地质")
    add_feed(library, str(local), name="Local")

    text = export_opml(library)

    root = ET.fromstring(text)
    assert root.tag == "opml" and root.get("version") == "2.0"
    outlines = {o.get("text"): o for o in root.iter("outline")}
    assert outlines["Wire"].get("category") == "news"
    assert outlines["Wire"].get("xmlUrl") == server.feed("rss20.xml")
    exported = tmp_path / "out.opml"
    exported.write_text(text, encoding="utf-8")
    with Library(tmp_path / "other.db") as other:
        added, skipped = import_opml(other, exported)
        assert skipped == [] and len(added) == 3

        def summary(lib: Library) -> set[tuple[str, str, str]]:
            return {(f.url, f.name, f.tag or "") for f in lib.feeds()}

        assert summary(other) == summary(library)


# ---- the command line ---------------------------------------------------------------------


def test_cli_feed_commands(
    capsys: pytest.CaptureFixture[str], server: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    code, out, err = run(
        capsys, "--library", db, "feed", "add", server.feed("rss20.xml"), "--name", "Wire",
        "--tag", "news", "--keep", "10", "--keep-days", "30",
    )  # fmt: skip
    assert code == 0 and "Wire" in out and err == ""
    code, _, _ = run(capsys, "--library", db, "feed", "add", server.feed("atom10.xml"))
    assert code == 0
    code, _, err = run(capsys, "--library", db, "feed", "add", "javascript:alert(1)")
    assert code != 0 and "javascript" in err
    code, _, err = run(capsys, "--library", db, "feed", "add", server.feed("rss20.xml"))
    assert code != 0 and "already" in err

    code, out, _ = run(capsys, "--library", db, "feed", "list")
    assert code == 0 and "Wire" in out and server.feed("atom10.xml") in out
    with Library(db) as library:
        wire = feed_named(library, "Wire")
        assert (wire.tag, wire.keep, wire.keep_days) == ("news", 10, 30)

    code, out, _ = run(capsys, "--library", db, "feed", "rename", "Wire", "Harbour")
    assert code == 0 and "Harbour" in out
    exported = tmp_path / "feeds.opml"
    code, _, _ = run(capsys, "--library", db, "feed", "export", exported)
    assert code == 0 and "Harbour" in exported.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "--library", db, "feed", "remove", "Harbour")
    assert code == 0
    code, out, _ = run(capsys, "--library", db, "feed", "list")
    assert "Harbour" not in out
    code, _, err = run(capsys, "--library", db, "feed", "remove", "Harbour")
    assert code != 0 and "Harbour" in err

    code, out, _ = run(capsys, "--library", tmp_path / "fresh.db", "feed", "import", exported)
    assert code == 0
    with Library(tmp_path / "fresh.db") as fresh:
        assert len(fresh.feeds()) == 2 and feed_named(fresh, "Harbour").tag == "news"


def test_cli_refresh_prints_a_line_per_feed_and_fails_when_one_does(
    capsys: pytest.CaptureFixture[str], server: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    for url, name in [(server.feed("rss20.xml"), "Wire"), (server.feed("feed.json"), "Lava")]:
        assert (
            run(capsys, "--library", db, "feed", "add", url, "--name", name, "--no-fetch")[0] == 0
        )

    code, out, err = run(capsys, "--library", db, "refresh")
    assert code == 0, out + err
    lines = (out + err).splitlines()
    assert "Wire: 3 new, 0 updated" in lines and "Lava: 3 new, 0 updated" in lines
    assert "error" not in out + err

    code, out, err = run(capsys, "--library", db, "refresh", "Wire")
    assert code == 0
    assert "Wire: not modified" in (out + err).splitlines() and "Lava" not in out + err

    gone = server.url("/status/404")
    assert run(capsys, "--library", db, "feed", "add", gone, "--name", "Gone", "--no-fetch")[0] == 0
    code, out, err = run(capsys, "--library", db, "refresh")
    assert code == 1
    text = out + err
    assert "Gone: the server answered 404 Not Found" in text.splitlines()
    assert "Wire: not modified" in text.splitlines()

    code, out, err = run(capsys, "--library", db, "refresh", "Nowhere")
    assert code != 0 and "Nowhere" in err


def test_cli_refresh_with_no_feeds_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--library", tmp_path / "cli.db", "refresh")
    assert code == 0 and "feed add" in out
