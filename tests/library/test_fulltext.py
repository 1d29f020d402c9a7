"""Full text: an article's web page fetched from a loopback server (tests/feeds_server.py,
tests/drip_server.py), its main text kept and its boilerplate (navigation, sidebar,
comments, footer) left out, as Markdown with absolute links; GBK pages decoded right;
the fetcher's limits (http(s) only, a size cap, one deadline, redirects to the web only)
held, each failure one line naming the page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from drip_server import DripServer
from feeds_server import FeedServer
from hypothesis import given, settings
from hypothesis import strategies as st
from news_pages import COMMENTS, EN_ARTICLE, FOOTER, NAV, SIDEBAR, ZH_ARTICLE, news_page

from reader.library import fulltext
from reader.library.fetch import MAX_FEED_BYTES
from reader.library.fulltext import FullTextError, extract, fetch_page, full_text, page_text

TIMEOUT = 5.0  # for pages that answer at once
SHORT = 0.5  # for the slow ones: they wait far longer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[FeedServer]:
    with FeedServer(folder=tmp_path, slow_seconds=10) as running:
        yield running


def boilerplate(lang: str) -> list[str]:
    return [*NAV[lang][1:], SIDEBAR[lang][0], *SIDEBAR[lang][1], *COMMENTS[lang], FOOTER[lang]]


def assert_only_the_article(markdown: str, lang: str, body: list[str]) -> None:
    for text in body:
        assert text in markdown
    for text in boilerplate(lang):
        assert text not in markdown
    assert "tracking code" not in markdown and "cookies" not in markdown


# ---- the article, and nothing else ------------------------------------------------------------


def test_an_english_page_gives_its_article_with_absolute_links(server: FeedServer) -> None:
    url = server.swap("news/harbour", news_page(EN_ARTICLE), "text/html; charset=utf-8")
    markdown = full_text(url, TIMEOUT)
    assert_only_the_article(
        markdown, "en", ["Harbour reopens", "forty thousand tonnes", "asked not to be named"]
    )
    assert f"![The harbour at dawn]({server.base}/swap/news/images/harbour.jpg)" in markdown
    assert f"[report on the repairs]({server.base}/reports/breakwater-2024)" in markdown


def test_links_are_resolved_against_the_page_after_its_redirects(
    server: FeedServer, tmp_path: Path
) -> None:
    (tmp_path / "harbour.html").write_text(news_page(EN_ARTICLE), encoding="utf-8")
    page = fetch_page(server.url("/redirect/301/harbour.html"), TIMEOUT)
    assert page.url == server.feed("harbour.html")
    assert (page.charset, page.content_type) == ("utf-8", "text/html")
    markdown = full_text(server.url("/redirect/302/harbour.html"), TIMEOUT)
    assert f"]({server.base}/feeds/images/harbour.jpg)" in markdown


def test_a_chinese_page_gives_its_article(server: FeedServer) -> None:
    url = server.swap("zh", news_page(ZH_ARTICLE, "zh"), "text/html; charset=utf-8")
    markdown = full_text(url, TIMEOUT)
    assert_only_the_article(markdown, "zh", ["跨海大桥今日正式通车", "深水基础", "朱镕基"])
    assert f"![大桥全景]({server.base}/pics/bridge.jpg)" in markdown


def test_a_gbk_page_is_read_by_its_meta_charset(server: FeedServer) -> None:
    # 镕 is GBK's but not GB2312's: a page labelled gb2312 is read as GBK, as browsers do
    head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    page = news_page(ZH_ARTICLE, "zh", head).encode("gbk")
    url = server.swap("gbk", page, "text/html")
    assert_only_the_article(full_text(url, TIMEOUT), "zh", ["两岸之间的车程", "朱镕基"])


def test_the_server_charset_comes_before_the_pages_own() -> None:
    page = news_page(ZH_ARTICLE, "zh", '<meta charset="big5">').encode("gbk")
    assert "朱镕基" in page_text(page, "GBK")
    assert "朱镕基" in page_text(news_page(ZH_ARTICLE, "zh", "").encode("gb18030"))  # guessed
    utf8 = news_page(ZH_ARTICLE, "zh", '<meta charset="gb2312">').encode("utf-8")
    assert "朱镕基" in page_text(utf8, "gbk")  # bytes that are UTF-8 are UTF-8
    assert "café" in page_text("<p>café</p>".encode("cp1252"), "iso-8859-1")


def test_control_characters_and_escapes_are_removed() -> None:
    article = EN_ARTICLE.replace("Pilots", "Pilots\x1b[31m&#27;[2J\x07\u202e")
    markdown = extract(news_page(article), "https://news.example/harbour")
    assert "Pilots guided" in markdown
    assert not any(ch in markdown for ch in "\x1b\x07\u202e")


def test_a_page_without_an_article_says_so(server: FeedServer) -> None:
    teaser = '<p class="paywall">Subscribe to read this story.</p>'
    for key, page in (("teaser", news_page(teaser)), ("empty", ""), ("blank", "<html></html>")):
        url = server.swap(key, page, "text/html")
        with pytest.raises(FullTextError) as raised:
            full_text(url, TIMEOUT)
        assert str(raised.value) == f"{url}: no article text found on the page"


def test_what_is_not_a_web_page_is_refused(server: FeedServer) -> None:
    url = server.swap("pdf", b"%PDF-1.7\n" + bytes(range(256)) * 10, "application/pdf")
    with pytest.raises(FullTextError, match=r"not a web page \(application/pdf\)$"):
        full_text(url, TIMEOUT)


# ---- the fetcher's limits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "/etc/passwd", "ftp://example.com/a.html", "javascript:x()"]
)
def test_only_web_addresses_are_fetched(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object) -> None:
        raise AssertionError("fetched")

    monkeypatch.setattr(fulltext, "get", no_network)
    with pytest.raises(FullTextError) as raised:
        full_text(url)
    assert str(raised.value) == f"{url}: not a web address (only http and https)"


def one_line_naming(url: str, raised: pytest.ExceptionInfo[FullTextError]) -> str:
    message = str(raised.value)
    assert message.startswith(f"{url}: ") and "\n" not in message
    return message.removeprefix(f"{url}: ")


def test_a_redirect_off_the_web_is_refused(server: FeedServer) -> None:
    url = server.url("/away")
    with pytest.raises(FullTextError) as raised:
        fetch_page(url, TIMEOUT)
    said = one_line_naming(url, raised)
    assert said == "the server sent it on to a non-web address (ftp://example.com/feed.xml)"


def test_an_error_status_is_one_line(server: FeedServer) -> None:
    url = server.url("/status/404")
    with pytest.raises(FullTextError) as raised:
        full_text(url, TIMEOUT)
    assert one_line_naming(url, raised) == "the server answered 404 Not Found"


def test_a_page_over_the_size_cap_is_refused(server: FeedServer, tmp_path: Path) -> None:
    huge = b"<p>" + b"x" * MAX_FEED_BYTES
    url = server.swap("huge", huge, "text/html")
    with pytest.raises(FullTextError) as raised:
        fetch_page(url, TIMEOUT)
    assert one_line_naming(url, raised) == "the page is larger than 16 MB"
    (tmp_path / "huge.html").write_bytes(huge)  # sent gzipped: small, until unpacked
    url = server.url("/gzip/huge.html")
    with pytest.raises(FullTextError) as raised:
        fetch_page(url, TIMEOUT)
    assert one_line_naming(url, raised) == "the page is larger than 16 MB unpacked"


def test_a_gzipped_page_is_unpacked(server: FeedServer, tmp_path: Path) -> None:
    (tmp_path / "zipped.html").write_text(news_page(EN_ARTICLE), encoding="utf-8")
    assert "forty thousand tonnes" in full_text(server.url("/gzip/zipped.html"), TIMEOUT)


def test_a_server_that_never_answers_is_given_up_on(server: FeedServer) -> None:
    url = server.url("/slow/page.html")
    with pytest.raises(FullTextError) as raised:
        fetch_page(url, SHORT)
    assert one_line_naming(url, raised) == f"no answer within {SHORT:g} s"


def test_a_dripping_server_is_given_up_on_at_the_deadline() -> None:
    with DripServer(interval=1.0, give_up=30.0) as dripping:
        url = dripping.url("/drip")
        with pytest.raises(FullTextError) as raised:
            fetch_page(url, SHORT)
    assert one_line_naming(url, raised) == f"timed out after {SHORT:g} s"


# ---- whatever comes in ------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda t: f"<html><body><p>{t}</p>".encode("utf-8", "replace")),
    ),
    st.one_of(
        st.none(),
        st.sampled_from(["gbk", "utf-8", "utf-16", "latin1", "", "bogus", "base64", "idna"]),
    ),
)
def test_any_bytes_give_markdown_or_full_text_error(data: bytes, charset: str | None) -> None:
    try:
        markdown = extract(page_text(data, charset), "https://news.example/a/b.html")
    except FullTextError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(markdown, str) and markdown.endswith("\n")


def test_the_extractor_is_imported_only_when_used_and_prints_nothing() -> None:
    code = (
        "import sys, reader.library.fulltext as f\n"
        "print('readability' in sys.modules)\n"
        "try:\n    f.extract('', 'https://news.example/')\n"  # (readability logs, then raises)
        "except f.FullTextError:\n    print('refused')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (run.stdout.split(), run.stderr) == (["False", "refused"], "")


def test_a_charset_label_with_a_nul_is_a_label_unknown() -> None:
    assert page_text(b"<p>caf\xc3\xa9</p>", "gb\x00k") == "<p>café</p>"
