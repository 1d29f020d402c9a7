"""Real posts: the bundled seeds, and the finews sample corpus when it is on this machine."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import paths
from reader.library import Article, ImportReport, Library, import_paths
from reader.library.body import readable

CORPUS = Path("/work/shared/corpus/finews")  # optional: the project must not depend on it
NUMERIC = re.compile(r"[\d\W_]+|[0-9a-fA-F]{8,}")


def articles(library: Library) -> dict[str, Article]:
    """File name -> stored article."""
    found = (library.article(i) for i in library.ids())
    return {Path(a.path).name: a for a in found if a is not None}


# ---- seeds ------------------------------------------------------------------------------------


def test_seed_posts_import(library: Library) -> None:
    report = import_paths(library, [paths.seeds_dir()])
    assert (report.new, report.errors, report.warnings) == (2, [], [])
    stored = articles(library)

    post = stored["000_6c04966a2f44f38a.txt"]
    assert post.title == "12地政府部门与阿里巴巴国际站联合发布外贸纾困十条"
    assert post.date == "2022-05-20T13:43:49+08:00"
    assert post.categories == ("jingjicankaowang",)
    assert post.tags == ("经济参考网新闻",)
    assert post.url is not None and post.url.startswith("http://finews.zning.xyz/")
    assert post.kind == "html"
    shown = readable(post.kind, post.body, post.html)[1]  # (kept as HTML, shown as Markdown)
    assert "<p>" not in shown and "外贸纾困十条" in shown
    assert "](https://dfscdn.dfcfw.com/download/" in shown  # the image is kept

    plain = stored["003_bd810103eff7b2da.txt"]
    assert plain.title.startswith("2022年5月11日晚，央视《经济半小时》")
    assert len(plain.title) <= 41
    assert not NUMERIC.fullmatch(plain.title)
    assert plain.date is None
    assert plain.kind == "text"
    assert (plain.categories, plain.tags) == ((), ())


# ---- the finews corpus ------------------------------------------------------------------------


def table() -> dict[str, list[str]]:
    """SOURCE.md's table: file -> [from, categories, tags, body kind, bytes, notes]."""
    rows = {}
    for line in (CORPUS / "SOURCE.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0].strip("`")] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ImportReport, Library]]:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not on this machine")
    with Library(tmp_path_factory.mktemp("corpus") / "lib.db") as library:
        yield import_paths(library, [CORPUS], jobs=1), library


def test_corpus_imports_without_errors(corpus: tuple[ImportReport, Library]) -> None:
    report, library = corpus
    posts = [p for p in CORPUS.iterdir() if p.suffix == ".md"]
    assert report.new == len(posts) == library.count()
    assert report.errors == []


def test_corpus_empty_date_warns_with_its_line(corpus: tuple[ImportReport, Library]) -> None:
    report, _ = corpus
    [warning] = report.warnings
    assert Path(warning.path).name == "-202205262391921712.md"
    assert warning.line == 4  # `date:  +0800`
    assert "date" in warning.message


def test_corpus_titles_are_words_never_numbers(corpus: tuple[ImportReport, Library]) -> None:
    _, library = corpus
    for name, article in articles(library).items():
        text = (CORPUS / name).read_text(encoding="utf-8")
        given = re.search(r'^title: "(.*)"$', text, re.MULTILINE)
        if given and given.group(1):
            assert article.title == given.group(1), name
        assert article.title and not NUMERIC.fullmatch(article.title), name
    empty_title = articles(library)["-202205262391921712.md"]
    assert empty_title.title.startswith("据霍尼韦尔官网消息")


def test_corpus_terms_dates_and_kinds_match_the_source_notes(
    corpus: tuple[ImportReport, Library],
) -> None:
    _, library = corpus
    stored = articles(library)
    rows = table()
    assert len(rows) == len(stored) - 1  # every post but SOURCE.md itself
    for name, (_from, categories, tags, kind, _size, notes) in rows.items():
        article = stored[name]
        assert article.categories == (categories,), name
        assert article.tags == (tags,), name
        assert article.kind == {"plain": "text"}.get(kind, kind), name
        if "empty date" in notes:
            assert article.date is None
            continue
        date_in_name = re.match(r"\d{4}-\d\d-\d\d", name)
        assert article.date is not None and date_in_name is not None, name
        assert article.date.startswith(date_in_name.group()), name
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+08:00)?", article.date), name
        assert article.date.endswith("+08:00") == ("date without +0800" not in notes), name


def test_corpus_html_posts_become_markdown(corpus: tuple[ImportReport, Library]) -> None:
    _, library = corpus
    html = [a for a in articles(library).values() if a.kind == "html"]
    assert len(html) == 9
    for article in html:
        name = Path(article.path).name
        shown = readable(article.kind, article.body, article.html)[1]
        assert not re.search(r"</?(p|span|center|img|br|strong)\b", shown), name
        assert "display:none" not in shown, name
        assert "![" in shown or "](" in shown, name


def test_corpus_source_links(corpus: tuple[ImportReport, Library]) -> None:
    _, library = corpus
    for name, article in articles(library).items():
        link = re.search(r"^<(https?://[^>]+)>$", (CORPUS / name).read_text("utf-8"), re.MULTILINE)
        assert article.url == (link.group(1) if link else None), name
