"""An import lists every article first and indexes them for search after; search says
when it does not cover every article yet; doctor finishes an unfinished index; an HTML
post keeps its HTML and becomes Markdown when shown."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Library, import_paths
from reader.library.body import readable, unpacked
from reader.library.html_text import html_heading, html_text, resolve_html_links
from reader.library.query import parse
from reader.library.text import count_words
from reader.library.turns import Busy, busy

HTML = (
    "<h2>标题 <b>一</b></h2><p>正文第一段，汇率上涨。</p><center><img src='/i.png' alt='图表'>"
    "</center><script>var hidden = '脚本文字';</script><p>第二段</p>"
)


def write(posts: Path, count: int) -> None:
    for n in range(count):
        (posts / f"2024-01-{n % 28 + 1:02d}-p{n}.md").write_text(
            f"---\ntitle: 第{n}篇\ntags: [甲]\n---\n正文 {n} 汇率\n", encoding="utf-8"
        )


def test_every_article_is_listed_before_the_index_is_written(library: Library, posts: Path) -> None:
    write(posts, 300)
    seen: list[tuple[int, int, Busy | None]] = []

    def indexing(done: int, total: int) -> None:
        other = sqlite3.connect(library.path)  # as the app sees it meanwhile
        listed, unindexed = other.execute(
            "SELECT count(*), total(indexed = 0) FROM articles"
        ).fetchone()
        other.close()
        seen.append((listed, int(unindexed), busy(library.path)))

    report = import_paths(library, [posts], jobs=2, indexing=indexing)
    assert report.new == 300
    listed, unindexed, job = seen[0]
    assert listed == 300 and unindexed > 0  # all listed; search came after
    assert job is not None and (job.what, job.stage, job.total) == ("an import", "indexing", 300)
    assert seen[-1][:2] == (300, 0)
    assert library.unindexed() == 0 and library.coverage() is None
    assert len(library.search(parse("汇率"))) == 300
    assert busy(library.path) is None  # the marker goes with the job


def test_search_says_when_it_does_not_cover_every_article(
    library: Library, posts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(posts, 3)
    import_paths(library, [posts], jobs=1)
    with library.transaction():  # as an import killed before its index left it
        for article_id in (2, 3):
            library.unindex_article(article_id)
            library.db.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (article_id,))
    note = library.coverage()
    assert note == "Search covers 1 of 3 articles: `newsreader doctor` indexes the other 2."
    args = ["--library", str(library.path)]
    assert main([*args, "search", "汇率"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 and f"note: {note}" in err

    assert main([*args, "doctor"]) == 0
    out = capsys.readouterr().out
    assert "2 articles are not in the search index yet" in out
    assert "indexed them: search covers every article now (2 indexed)" in out
    assert main([*args, "search", "汇率"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 3 and err == ""


def test_an_html_post_is_kept_as_html_and_shown_as_markdown(library: Library, posts: Path) -> None:
    (posts / "a.html").write_text(f"---\ntitle: T\n---\n{HTML * 3}\n", encoding="utf-8")
    import_paths(library, [posts])
    [(kind, html, body)] = library.db.execute("SELECT kind, html, body FROM articles")
    assert (kind, html) == ("html", 1) and isinstance(body, bytes)  # kept compressed
    body = unpacked(body)
    assert "<h2>" in body
    article = library.article(library.ids()[0])
    assert article is not None and (article.kind, article.html) == ("html", True)
    assert article.body == body
    kind, markdown = readable(article.kind, article.body, article.html)  # (on the render thread)
    assert kind == "html" and "## 标题 **一**" in markdown and "<p>" not in markdown
    assert "脚本文字" not in markdown
    assert library.search(parse("汇率上涨")) == [article.id]
    assert library.search(parse("图表")) == [article.id]  # the picture's alt text
    assert library.search(parse("脚本文字")) == []  # as not shown, not found


def test_an_article_is_counted_as_it_is_indexed(library: Library, posts: Path) -> None:
    """The import's parser leaves the plain text and its counts out (an HTML post's costs
    a tenth of the parsing); indexing makes that text, and sets the counts from it."""
    (posts / "a.html").write_text(f"---\ntitle: T\n---\n{HTML}\n", encoding="utf-8")
    (posts / "b.md").write_text("---\ntitle: M\n---\nTwo words, 四个汉字.\n", encoding="utf-8")
    listed: list[tuple[str, int, int]] = []

    def indexing(done: int, total: int) -> None:
        if not done:
            listed.extend(library.db.execute("SELECT title, words, chars FROM articles"))

    import_paths(library, [posts], indexing=indexing)
    assert sorted(listed) == [("M", 0, 0), ("T", 0, 0)]  # (listed: not counted yet)
    counted = sorted(library.db.execute("SELECT title, words, chars FROM articles"))
    assert counted == [("M", 6, 14), ("T", *count_words(html_text(HTML)))]
    assert count_words(html_text(HTML)) == (17, 19)  # (脚本文字 is not shown: not counted)


def test_an_html_post_made_markdown_before_schema_9_is_indexed_as_markdown(
    library: Library, posts: Path
) -> None:
    """Such a post has kind "html" and a Markdown body (html 0): its search text is the
    Markdown's (no link targets, no `**`), not a tag strip of it."""
    (posts / "a.md").write_text("Read **粗体** [链接](http://example.com/zzqqxx)\n")
    import_paths(library, [posts])
    [article_id] = library.ids()
    with library.reindexing([article_id]), library.transaction():  # (as step 9 left it)
        library.db.execute("UPDATE articles SET kind = 'html', html = 0")
    assert library.plain_text(article_id) == "Read 粗体 链接"
    assert library.search(parse("粗体")) == [article_id]
    assert library.search(parse("zzqqxx")) == []


def test_the_tag_strip_keeps_the_text_a_reader_sees() -> None:
    assert html_text(HTML) == "标题 一\n\n正文第一段，汇率上涨。\n\n图表\n\n第二段"
    assert html_heading(HTML) == "标题 一"
    hidden = (
        "<p>a</p><div style='DISPLAY: none'><div>b</div></div><p hidden>c</p>"
        "<span aria-hidden='true'>d</span><p style='overflow:hidden'>e</p><pre>f</pre>"
        "<p>x &amp; y&#27;[31m</p><!-- g --><p>&gt; h</p>\n> i"
    )
    assert html_text(hidden) == "a\n\ne\n\nf\n\nx & y[31m\n\n> h\n\ni"
    assert html_text("<p>a</p><script>never closed <p>b</p>") == "a"


def test_links_in_html_resolve_against_the_page() -> None:
    html = "<a href='../x.html'>x</a><img src=\"//cdn.example/p.png\"><a href='#n'>n</a>"
    resolved = resolve_html_links(html, "https://s.example/2024/post.html")
    assert "href='https://s.example/x.html'" in resolved
    assert 'src="https://cdn.example/p.png"' in resolved
    assert "href='#n'" in resolved
