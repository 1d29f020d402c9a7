"""One post to a ParsedArticle: body kinds, HTML to Markdown, Jekyll rules, titles, links."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.library import ParsedArticle, ParseError, parse_bytes, parse_file
from reader.library import parse as parse_module
from reader.library.body import shown
from reader.library.parse import NotAnArticle, Unpublished

WritePost = Callable[[str, bytes | str], Path]
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def parse(data: str | bytes, name: str = "post.md", **options: bool) -> ParsedArticle:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return parse_bytes(raw, name, **options)


def post(meta: str, body: str = "Body text.\n") -> str:
    return f"---\n{meta}\n---\n{body}"


def looks_numeric(title: str) -> bool:
    return bool(re.fullmatch(r"[\d\W_]+|[0-9a-fA-F]{8,}", title))


# ---- front matter and body kinds ------------------------------------------------------------


def test_front_matter_fields_and_body() -> None:
    article = parse(post("title: Hello\ncategories: news\ntags: [a, b]", "# Heading\n\nText.\n"))
    assert article.title == "Hello"
    assert article.categories == ("news",)
    assert article.tags == ("a", "b")
    assert article.body == "# Heading\n\nText.\n"
    assert "title:" not in article.text


def test_toml_front_matter() -> None:
    article = parse("+++\ntitle = 'Toml post'\ntags = ['x', 'y']\n+++\nBody.\n")
    assert (article.title, article.tags, article.body) == ("Toml post", ("x", "y"), "Body.\n")


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("<p>One</p><p>Two</p>", "html"),
        ("<!DOCTYPE html><html><body>Hi</body></html>", "html"),
        ("<div>\nA single block\n</div>", "html"),
        ("# Title\n\nSome *text* and [a link](http://x.example).\n", "markdown"),
        ("Intro line.\n\n- item one\n- item two\n", "markdown"),
        ("Use `<p>` and `<br>` tags.\n", "markdown"),  # tags in code are not HTML
        ("Text with one <span>inline</span> tag.\n\n- item\n", "markdown"),
        ("Just words, one line after another.\nNothing else.\n", "text"),
        ("纯文本新闻，没有任何标记。\n", "text"),
    ],
)
def test_body_kind_is_detected_from_the_content(body: str, kind: str) -> None:
    assert parse(post("title: T", body)).kind == kind


def test_kind_ignores_the_file_extension() -> None:
    assert parse("<p>a</p><p>b</p>", "x.txt").kind == "html"
    assert parse("# Heading\n\ntext", "x.html").kind == "markdown"


# ---- HTML to Markdown -----------------------------------------------------------------------


def test_html_becomes_markdown_keeping_images_and_links() -> None:
    html = (
        "<h2>Sub <b>head</b></h2><p>First <a href='https://a.example/x'>link</a>.</p>"
        "<center><img src='https://img.example/p.jpg' alt='Chart'></center><p>Last.</p>"
    )
    article = parse(post("title: T", html))
    assert (article.kind, article.body) == ("html", html)  # kept as HTML; Markdown when shown
    kind, markdown = shown(article.body)
    assert kind == "html"
    assert "## Sub **head**" in markdown
    assert "[link](https://a.example/x)" in markdown
    assert "![Chart](https://img.example/p.jpg)" in markdown
    assert "<p>" not in markdown and "<img" not in markdown
    assert "Last." in article.text and "<" not in article.text


def test_html_drops_scripts_styles_and_hidden_elements() -> None:
    html = (
        "<p>visible one</p>"
        "<script>var secret = 'script text';</script>"
        "<style>p { color: red }</style>"
        "<div style='color: red; DISPLAY: none'><p>hidden by style</p></div>"
        "<p hidden>hidden by attribute</p>"
        "<span aria-hidden='true'>hidden for readers</span>"
        "<div><div hidden><div>nested hidden</div></div><p>visible two</p></div>"
        "<img src='track.gif' style='display:none'>"
    )
    article = parse(post("title: T", html))
    markdown = shown(article.body)[1]
    for text in (markdown, article.text):  # as shown, and as search sees it
        assert "visible one" in text and "visible two" in text
        for gone in ("script text", "color", "hidden by", "hidden for", "nested", "track.gif"):
            assert gone not in text


def test_html_entities_cannot_smuggle_escape_sequences() -> None:
    html = "<p>red&#27;[31m text&#x1b;]52;c;ZXZpbA==&#7; end</p><p>more</p>"
    article = parse(post("title: T", html))
    assert not CONTROLS.search(shown(article.body)[1])
    assert not CONTROLS.search(article.text)
    assert "end" in shown(article.body)[1] and "end" in article.text


def test_autolink_in_html_body_is_kept() -> None:
    article = parse(post("title: T", "<p>a</p><p>b</p>\n\n<http://news.example/1.html>\n"))
    assert "http://news.example/1.html" in article.body
    assert article.url == "http://news.example/1.html"


# ---- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso", "utc"),
    [
        ("2022-05-20", "2022-05-20", (2022, 5, 20)),
        ("2022-05-20 13:43:49", "2022-05-20T13:43:49", (2022, 5, 20, 13, 43, 49)),
        ("2022-05-20 13:43", "2022-05-20T13:43:00", (2022, 5, 20, 13, 43)),
        ("2022-05-20 13:43:49 +0800", "2022-05-20T13:43:49+08:00", (2022, 5, 20, 5, 43, 49)),
        ("2022-05-20T13:43:49+08:00", "2022-05-20T13:43:49+08:00", (2022, 5, 20, 5, 43, 49)),
        ("2022-05-20 13:43:49 -0530", "2022-05-20T13:43:49-05:30", (2022, 5, 20, 19, 13, 49)),
        ("2022-05-20T13:43:49Z", "2022-05-20T13:43:49+00:00", (2022, 5, 20, 13, 43, 49)),
        ("'2022-5-2 8:03:04'", "2022-05-02T08:03:04", (2022, 5, 2, 8, 3, 4)),
    ],
)
def test_front_matter_dates_keep_their_offset(value: str, iso: str, utc: tuple[int, ...]) -> None:
    article = parse(post(f"title: T\ndate: {value}"))
    assert article.date == iso
    assert article.timestamp == datetime(*utc, tzinfo=UTC).timestamp()  # naive ones read as UTC
    assert article.warnings == ()


def test_toml_datetime_keeps_its_offset() -> None:
    article = parse("+++\ntitle = 'T'\ndate = 2020-01-02T03:04:05+01:00\n+++\nBody\n")
    assert article.date == "2020-01-02T03:04:05+01:00"


@pytest.mark.parametrize(
    ("name", "iso", "title"),
    [
        ("2021-12-08-my-first_post.md", "2021-12-08", "My first post"),
        ("2021-3-4-short-date.md", "2021-03-04", "Short date"),
        ("2021-13-40-not-a-date.md", None, "2021 13 40 not a date"),
        ("no-date-here.md", None, "No date here"),
    ],
)
def test_date_and_title_from_the_file_name(name: str, iso: str | None, title: str) -> None:
    article = parse("plain body text\n", name)
    assert article.date == iso
    assert article.title == title


def test_front_matter_date_wins_over_the_file_name() -> None:
    article = parse(post("date: 2022-05-20 13:43:49 +0800"), "2021-12-08-slug.md")
    assert article.date == "2022-05-20T13:43:49+08:00"


@pytest.mark.parametrize("value", ["2022-13-45", "'+0800'", "yesterday", "2022-05-20 25:00:00"])
def test_unreadable_date_warns_on_its_line_and_falls_back_to_the_file_name(value: str) -> None:
    article = parse(post(f"layout: post\ntitle: Kept\ndate: {value}"), "2021-12-08-slug.md")
    assert article.title == "Kept"  # the rest of the front matter survives
    assert article.date == "2021-12-08"
    [warning] = article.warnings
    assert warning.line == 4
    assert warning.path == "2021-12-08-slug.md"
    assert "date" in warning.message


def test_empty_date_is_no_date() -> None:
    article = parse(post("title: T\ndate:"), "post.md")
    assert (article.date, article.warnings) == (None, ())


# ---- categories and tags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meta", "categories", "tags"),
    [
        ("categories: [Finance, World News]\ntags: [a, b]", ("Finance", "World News"), ("a", "b")),
        ("categories: finance world\ntags: one two", ("finance", "world"), ("one", "two")),
        ("category: finance\ntag: one", ("finance",), ("one",)),
        ("categories: a b\ncategory: c\ntags: x\ntag: y", ("a", "b", "c"), ("x", "y")),
        ("categories: 2021\ntags: 3.5", ("2021",), ("3.5",)),
        ("categories:\ntags: ''", (), ()),
        ("categories: []\ntags: [null]", (), ()),
        ("categories: [News, news, NEWS]\ntags: [x, ' x ']", ("News",), ("x",)),
        ("tags: [[nested, list], 7]", (), ("nested", "list", "7")),
        ("categories: jingji\ntags: 经济参考网新闻", ("jingji",), ("经济参考网新闻",)),
    ],
)  # fmt: skip
def test_jekyll_categories_and_tags(
    meta: str, categories: tuple[str, ...], tags: tuple[str, ...]
) -> None:
    article = parse(post(f"title: T\n{meta}"))
    assert article.categories == categories
    assert article.tags == tags


# ---- published and drafts ---------------------------------------------------------------------


@pytest.mark.parametrize("meta", ["published: false", "draft: true"])
def test_unpublished_posts_are_skipped_unless_asked_for(meta: str) -> None:
    with pytest.raises(Unpublished):
        parse(post(f"title: Secret\n{meta}"))
    assert parse(post(f"title: Secret\n{meta}"), include_unpublished=True).title == "Secret"


@pytest.mark.parametrize("meta", ["published: true", "draft: false", "published: 'false'"])
def test_published_posts_are_kept(meta: str) -> None:
    assert parse(post(f"title: Shown\n{meta}")).title == "Shown"


# ---- titles -----------------------------------------------------------------------------------


def test_title_from_front_matter_wins_over_the_heading() -> None:
    assert parse(post("title: Front", "# Heading\n")).title == "Front"


@pytest.mark.parametrize(
    ("body", "title"),
    [
        ("Intro text.\n\n## The *real* heading ##\n\nMore.\n", "The real heading"),
        ("<p>intro</p><h3>HTML <em>heading</em></h3><p>text</p>", "HTML heading"),
    ],
)
def test_title_from_the_first_heading(body: str, title: str) -> None:
    assert parse(post('title: ""', body), "2021-01-01-slug-words.md").title == title


def test_title_from_the_slug_when_there_is_no_heading() -> None:
    assert parse("Some text.\n", "2021-01-01-hello_big-world.md").title == "Hello big world"


@pytest.mark.parametrize(
    "name",
    [
        "000_6c04966a2f44f38a.txt",
        "2021-12-08-202112082206672930.md",
        "-202205262391921712.md",
        "deadbeefcafe1234.md",
        "12345.txt",
    ],
)
def test_ids_and_hashes_in_file_names_never_become_titles(name: str) -> None:
    article = parse("外贸企业稳订单、保市场。后面还有更多内容。\n", name)
    assert article.title == "外贸企业稳订单、保市场。"


@pytest.mark.parametrize(
    "body",
    [
        "20211208\n\n真正的第一句。第二句。\n",
        "6c04966a2f44f38a\n真正的第一句。\n",
        "2021-12-08 10:46:18\n真正的第一句。\n",
    ],
)
def test_lines_holding_only_numbers_or_hashes_are_not_titles(body: str) -> None:
    assert parse(body, "2021-12-08-202112082206672930.md").title == "真正的第一句。"


def test_post_of_only_numbers_gets_no_numeric_title() -> None:
    title = parse("12345 678\n", "2021-12-08-202112082206672930.md").title
    assert title and not looks_numeric(title)


def test_first_sentence_title_is_cut_cjk_aware() -> None:
    text = "2022年5月11日晚，央视《经济半小时》播出《“土货”搭上跨境快车》专题节目，对广西报道。后文"
    title = parse(text, "000_6c04966a2f44f38a.txt").title
    assert title.startswith("2022年5月11日晚，央视《经济半小时》")
    assert title.endswith("…")
    assert len(title) <= 41


def test_first_sentence_title_ends_at_a_latin_full_stop_but_not_in_a_number() -> None:
    article = parse("The rate rose to 6.35 today. Then it fell.\n", "1234.md")
    assert article.title == "The rate rose to 6.35 today."


# ---- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["link", "url", "source", "canonical_url", "permalink"])
def test_url_from_front_matter(key: str) -> None:
    article = parse(post(f"title: T\n{key}: https://news.example/a?b=1"))
    assert article.url == "https://news.example/a?b=1"


def test_front_matter_link_wins_over_permalink_and_body_link() -> None:
    meta = "permalink: https://p.example/\nlink: https://l.example/"
    assert parse(post(meta, "Text\n\n<http://body.example/>\n")).url == "https://l.example/"


@pytest.mark.parametrize(
    ("meta", "body", "url"),
    [
        ("permalink: /2021/12/08/post.html", "Text.\n\n<http://b.example/x.html>\n", "http://b.example/x.html"),
        ("url: ftp://files.example/x", "Text.\n", None),
        ("title: T", "Text.\n\nhttps://bare.example/line\n", "https://bare.example/line"),
        ("title: T", "Text with http://inline.example/ in a sentence.\n", None),
        ("title: T", "Text.\n\n<>\n", None),
    ],
)  # fmt: skip
def test_url_from_a_bare_link_line_when_front_matter_has_none(
    meta: str, body: str, url: str | None
) -> None:
    assert parse(post(meta, body)).url == url


# ---- broken front matter, escapes, bad input --------------------------------------------------


def test_broken_yaml_still_gives_an_article_with_a_warning_and_line() -> None:
    text = "---\nlayout: post\ntitle: Bad: colon\ndate: 2021-12-08\n---\n# From the body\n\nText.\n"
    article = parse(text, "/posts/2021-12-08-slug.md")
    assert article.title == "Bad: colon"  # recovered as written
    assert article.date == "2021-12-08"  # recovered from its own line
    assert article.body.startswith("# From the body")
    [warning] = article.warnings
    assert warning.path == "/posts/2021-12-08-slug.md"
    assert warning.line == 3
    assert "YAML" in warning.message
    assert str(warning).startswith("/posts/2021-12-08-slug.md:3: ")
    assert "recovered title, date from the lines" in warning.message


def test_broken_toml_still_gives_an_article_keeping_its_readable_title() -> None:
    article = parse("+++\ntitle = 'ok'\ntags = [\n+++\nText.\n", "2021-01-01-toml-post.md")
    assert article.title == "ok"  # recovered from its own line
    [warning] = article.warnings
    assert warning.line is not None and 2 <= warning.line <= 4
    assert "TOML" in warning.message


def test_escape_sequences_and_controls_are_removed_everywhere() -> None:
    meta = (
        'title: "Evil\\e[2J\\e]52;c;ZXZpbA==\\a title\\x9b31m"\n'
        'tags: ["t\\e]8;;http://x.example\\e\\\\ag", "\\x07bell"]\n'
        'categories: "c\\x07a\\e[1mt"'
    )
    body = "Body \x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x9d8;;u\x9c text\x08\x7f end.\n"
    article = parse(post(meta, body))
    assert article.title == "Evil title"
    assert article.tags == ("tag", "bell")
    assert article.categories == ("cat",)
    assert article.body == "Body red   text end.\n"
    for value in (article.title, article.body, article.text, *article.tags, *article.categories):
        assert not CONTROLS.search(value)


def test_undecodable_bytes_give_a_warning_naming_the_file() -> None:
    data = "---\ntitle: 汇率\n---\n人民币".encode() + b"\xe4\xb8\xff words.\n"
    article = parse(data, "x.md")
    assert article.title == "汇率" and article.text.strip() == "人民币\ufffd\ufffd words."
    assert [w.path for w in article.warnings] == ["x.md"]
    assert "replaced" in article.warnings[0].message


def test_a_short_western_post_is_text_not_binary() -> None:
    """Its few accented bytes once counted as U+FFFD, a tenth of it: skipped as binary."""
    article = parse("Café à Noël".encode("cp1252"), "noel.txt")
    assert article.text.strip() == "Café à Noël"
    assert ["Windows-1252" in w.message for w in article.warnings] == [True]
    article = parse(b"hello \x80\x81 world caf\xe9", "odd.txt")
    assert article.text.strip() == "hello \ufffd\ufffd world caf\ufffd"
    assert "replaced" in article.warnings[0].message


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
        lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"),
        lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
        lambda s: s.encode("gb18030"),
        lambda s: s.encode("gbk"),
        lambda s: s.replace("\n", "\r\n").encode("utf-8"),
        lambda s: s.replace("\n", "\r").encode("gbk"),
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "gb18030", "gbk", "crlf", "cr-gbk"],
)
def test_every_encoding_gives_the_same_article(encode: Callable[[str], bytes]) -> None:
    text = "\n---\ntitle: 外贸纾困十条\ntags: [经济, news]\n---\n第一段。\n\n第二段。\n"
    article = parse(encode(text))
    assert (article.title, article.tags) == ("外贸纾困十条", ("经济", "news"))
    assert article.body == "第一段。\n\n第二段。\n"
    assert article.warnings == ()


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", bytes(range(1, 32)) * 20],
    ids=["png", "controls"],
)
def test_binary_data_is_not_an_article(data: bytes) -> None:
    with pytest.raises(NotAnArticle):
        parse(data)


@pytest.mark.parametrize("data", ["", "\n\n  \n", "---\n---\n"])
def test_empty_posts_are_rejected(data: str) -> None:
    with pytest.raises(ParseError):
        parse(data)


def test_parse_file_reads_and_rejects_huge_files(
    write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_post("2021-01-01-big.md", "---\ntitle: Big\n---\n" + "x" * 100)
    assert parse_file(path).title == "Big"
    assert parse_file(path).path == str(path)
    monkeypatch.setattr(parse_module, "MAX_FILE_BYTES", 50)
    with pytest.raises(ParseError, match="larger"):
        parse_file(path)


def test_a_feed_entry_whose_html_cannot_be_converted_is_kept_as_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader.library import body
    from reader.library.parse import parse_entry

    def give_up(html: str) -> str:
        raise body.ConversionError("HTML could not be converted: RecursionError()")

    monkeypatch.setattr(body, "html_to_markdown", give_up)
    body.shown.cache_clear()
    article = parse_entry(
        "feed:1:x", title="Deep", date_value=None, tags=[], url=None, content="<p>Deep <b>y</b></p>"
    )
    assert shown(article.body) == ("text", "Deep y")  # shown as its text
    body.shown.cache_clear()


# ---- relative links ---------------------------------------------------------------------------

FOOTER = (
    "离岸人民币兑美元升至6.3512。\n\n"
    "<http://finance.eastmoney.com/news/1355,202112082206735975.html>\n\n"
    "[返回东财滚动新闻](../emnews/) [返回首页](../) [站内](/emnews/) [同级](./x.html)\n"
)


def test_relative_links_resolve_against_the_site_not_the_quoted_source() -> None:
    article = parse_bytes(
        post("title: T", FOOTER).encode(), "/site/_posts/a.md", site="https://finews.example.com/"
    )
    assert article.url == "http://finance.eastmoney.com/news/1355,202112082206735975.html"
    assert "[返回东财滚动新闻](https://finews.example.com/emnews/)" in article.body
    assert "[返回首页](https://finews.example.com/)" in article.body
    assert "[站内](https://finews.example.com/emnews/)" in article.body
    assert "[同级](https://finews.example.com/x.html)" in article.body
    assert "eastmoney.com/emnews" not in article.body


@pytest.mark.parametrize(
    ("meta", "site", "home"),
    [
        (
            "permalink: https://blog.example.com/2021/12/a/",
            None,
            "https://blog.example.com/2021/12/",
        ),
        (
            "permalink: /2021/12/a/",
            "https://blog.example.com/b/",
            "https://blog.example.com/b/2021/12/",
        ),
        ("url: https://other.example.com/p/a.html", None, "https://other.example.com/"),
    ],
)
def test_the_posts_own_address_comes_first(meta: str, site: str | None, home: str) -> None:
    article = parse_bytes(post(meta, "[上级](../)\n").encode(), "/a.md", site=site)
    assert f"[上级]({home})" in article.body


def test_without_a_base_relative_links_stay_and_protocol_relative_ones_get_https() -> None:
    body = "[首页](../) [站](//finews.example.com/emnews/) [f](file:///etc/passwd)\n"
    article = parse_bytes(post("title: T", body).encode(), "/a.md")
    assert "[首页](../)" in article.body  # the renderer shows its text alone
    assert "[站](https://finews.example.com/emnews/)" in article.body
    assert "[f](file:///etc/passwd)" in article.body


def test_html_bodies_and_inline_html_are_resolved_too() -> None:
    html = '<p>见<a href="../a.html">这里</a><img src="/img/x.png" alt="图"></p><p>二</p>'
    article = parse_bytes(post("title: T", html).encode(), "/a.md", site="https://s.example.com/")
    assert article.kind == "html"
    assert "[这里](https://s.example.com/a.html)" in shown(article.body)[1]
    assert "![图](https://s.example.com/img/x.png)" in shown(article.body)[1]
    md = '## 题\n\n<iframe src="//v.qq.com/x/page/abc.html"></iframe>\n\n<a href="/p">p</a>\n'
    article = parse_bytes(post("title: T", md).encode(), "/a.md", site="https://s.example.com/")
    assert 'src="https://v.qq.com/x/page/abc.html"' in article.body
    assert 'href="https://s.example.com/p"' in article.body


def test_links_in_code_are_left_as_written() -> None:
    body = "Use `[x](../)` like this:\n\n```\n[y](../)\n```\n\n[z](../)\n"
    article = parse_bytes(post("title: T", body).encode(), "/a.md", site="https://s.example.com/")
    assert "`[x](../)`" in article.body and "\n[y](../)\n" in article.body
    assert "[z](https://s.example.com/)" in article.body


def test_a_feed_entrys_relative_links_resolve_against_its_link() -> None:
    from reader.library.parse import parse_entry

    article = parse_entry(
        "feed:1:x",
        title="T",
        date_value=None,
        tags=[],
        url="https://news.example.com/2024/05/story.html",
        content='<p>See <a href="../other.html">other</a> and <a href="file:///etc/passwd">x</a></p>',
    )
    markdown = shown(article.body)[1]
    assert "[other](https://news.example.com/2024/other.html)" in markdown
    assert "(file:///etc/passwd)" in markdown  # kept; the renderer shows only `x`
