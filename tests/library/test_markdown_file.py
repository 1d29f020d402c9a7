"""An article saved as a Markdown file (`w`): front matter and body that import back as
the same article; a file name safe on any file system, whatever the title."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from library_helpers import WritePost

from reader.library import Library, import_paths
from reader.library.markdown_file import file_name, save


def test_a_saved_article_imports_back_as_itself(
    tmp_path: Path, library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post(
        "a.html",
        "---\ntitle: 'Rates: 央行 \"cuts\"'\ndate: 2024-03-01 09:30:00\nlink: https://x.example/a\n"
        "tags: [经济, rates]\ncategories: news\nauthor: 张三\n---\n"
        "<p>First <b>bold</b> line.</p><ul><li>one</li></ul>\n",
    )
    import_paths(library, [posts])
    article = library.article(library.ids()[0])
    assert article is not None
    written = save(article, tmp_path / "out")  # a folder that is not there yet
    assert written.parent == tmp_path / "out"
    with Library(tmp_path / "again.db") as again:
        import_paths(again, [tmp_path / "out"])
        back = again.article(again.ids()[0])
    assert back is not None
    assert (back.title, back.date, back.url, back.tags, back.categories) == (
        article.title,
        article.date,
        article.url,
        article.tags,
        article.categories,
    )
    assert back.extra == article.extra
    assert "First **bold** line." in back.body


@given(st.text(max_size=200), st.sampled_from([None, "2024-03-01", "2024-03-01 09:00:00"]))
def test_a_file_name_is_safe_whatever_the_title(title: str, date: str | None) -> None:
    from reader.library.models import Article

    article = Article(0, title, date, "", (), (), False, False, None, "", "markdown", "", 0, 0)
    name = file_name(article)
    assert name.endswith(".md")
    assert not set(name) & set('/\\:*?"<>|\x00')
    assert not any(ord(ch) < 32 for ch in name)
    assert not name.startswith((".", "-"))
    assert len(name) <= 80
