"""`author`: the field added as one entry in views.KINDS (issue 19's proof of one article
schema). Read from front matter and feed entries, kept through re-imports, found by
`author:NAME`, listed as a sidebar kind, printed by `show` and `list --json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.library import Library, import_paths
from reader.library import ingest as ingest_module
from reader.library.feeds import add_feed, refresh
from reader.library.fetch import parse_feed
from reader.library.models import View
from reader.library.parse import parse_bytes
from reader.library.query import QUERY_HELP, QueryError, parse
from reader.library.text import clean_line

WritePost = Any
Capsys = pytest.CaptureFixture[str]


def authors_of(front: str) -> tuple[str, ...]:
    article = parse_bytes(f"---\ntitle: T\n{front}\n---\nBody\n".encode(), "/p/a.md")
    return article.extra.get("author", ())


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("author: Jane Doe", ("Jane Doe",)),  # one name, spaces and all (not Jekyll's tags)
        ("author: 张三", ("张三",)),
        ("authors: [Jane Doe, 李四]", ("Jane Doe", "李四")),
        ("authors:\n  - name: Jane Doe\n    email: j@example.org\n  - 李四", ("Jane Doe", "李四")),
        ("author:\n  name: Jane Doe\n  url: https://example.org", ("Jane Doe",)),
        ("author: Jane\nauthors: [jane, Li]", ("Jane", "Li")),  # both keys; alike once
        ("author: ''", ()),
        ("author: 42", ("42",)),
        ("author: true", ()),
        ('author: "Jane\\u001b[31m Doe"', ("Jane Doe",)),  # the escape sequence is stripped
        ("", ()),
    ],
)
def test_front_matter_authors(front: str, expected: tuple[str, ...]) -> None:
    assert authors_of(front) == expected


def test_toml_front_matter_authors() -> None:
    data = '+++\ntitle = "T"\nauthors = ["Jane Doe", "王五"]\n+++\nBody\n'.encode()
    assert parse_bytes(data, "/p/a.md").extra == {"author": ("Jane Doe", "王五")}


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(_values)
def test_any_author_value_gives_clean_unique_names(value: object) -> None:
    front = yaml.safe_dump({"author": value}, allow_unicode=True)
    names = authors_of(front.strip())
    assert all(name and name == clean_line(name)[:200] for name in names)
    assert len({name.casefold() for name in names}) == len(names)


@pytest.fixture
def authored(tmp_path: Path, write_post: WritePost, posts: Path) -> Path:
    write_post("a.md", "---\ntitle: One\nauthor: Jane Doe\ntags: [x]\n---\nFirst\n")
    write_post("b.md", "---\ntitle: Two\nauthors: [Jane Roe, 张三]\n---\nSecond\n")
    write_post("c.md", "---\ntitle: Three\n---\nThird\n")
    path = tmp_path / "lib.db"
    with Library(path) as library:
        import_paths(library, [posts], jobs=1)
    return path


def ids_of(library: Library, query: str) -> set[str]:
    return {library.article(i).title for i in library.search(parse(query))}  # type: ignore[union-attr]


def test_author_is_searchable_by_name_or_a_unique_start(authored: Path) -> None:
    with Library(authored) as library:
        assert ids_of(library, 'author:"jane doe"') == {"One"}
        assert ids_of(library, "author:张") == {"Two"}  # a unique start
        assert ids_of(library, "author:张三 OR author:jane_doe") == {"Two"}
        assert ids_of(library, "NOT author:张三") == {"One", "Three"}
        with pytest.raises(QueryError, match="author:jane could be Jane Doe, Jane Roe"):
            library.resolve(parse("author:jane"))
        assert library.count(View("author", "Jane Roe")) == 1
        facets = {facet.name: facet.count for facet in library.facets("author")}
        assert facets == {"Jane Doe": 1, "Jane Roe": 1, "张三": 1}
        one = next(i for i in library.ids() if library.article(i).title == "One")  # type: ignore[union-attr]
        assert library.article(one).extra == {"author": ("Jane Doe",)}  # type: ignore[union-attr]
    assert "author:NAME" in QUERY_HELP


def test_a_changed_author_replaces_the_old_and_state_stays(
    authored: Path, write_post: WritePost, posts: Path
) -> None:
    with Library(authored) as library:
        one = next(i for i in library.ids() if library.article(i).title == "One")  # type: ignore[union-attr]
        library.set_read([one], True)
        library.tag([one], add=["mine"])
        write_post("a.md", "---\ntitle: One\nauthor: 李四\ntags: [x]\n---\nFirst, edited\n")
        import_paths(library, [posts], jobs=1)
        article = library.article(one)
        assert article is not None
        assert article.extra == {"author": ("李四",)}
        assert article.read and "mine" in article.user_tags
        assert ids_of(library, 'author:"jane doe"') == set()


def test_a_library_from_before_authors_gets_them_at_the_next_import(
    tmp_path: Path, write_post: WritePost, posts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_post("a.md", "---\ntitle: One\nauthor: Jane Doe\n---\nFirst\n")
    with Library(tmp_path / "old.db") as library:
        with monkeypatch.context() as patch:  # an older parser: no authors
            patch.setattr(ingest_module, "PARSER_VERSION", "3")
            patch.setattr("reader.library.parse.EXTRA", ())
            import_paths(library, [posts], jobs=1)
        [one] = library.ids()
        assert library.article(one).extra == {}  # type: ignore[union-attr]
        library.set_bookmark([one], True)
        import_paths(library, [posts], jobs=1)  # unchanged files, a newer parser
        article = library.article(one)
        assert article is not None and article.bookmarked
        assert article.extra == {"author": ("Jane Doe",)}


RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>W</title>
<managingEditor>editor@example.org (The Editor)</managingEditor>
<item><guid>1</guid><title>a</title><dc:creator>\xe5\xbc\xa0\xe4\xb8\x89</dc:creator></item>
<item><guid>2</guid><title>b</title><author>jane@example.org (Jane Doe)</author></item>
<item><guid>3</guid><title>c</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>W</title><id>w</id>
<author><name>Feed Writer</name></author><updated>2024-01-01T00:00:00Z</updated>
<entry><id>1</id><title>a</title><updated>2024-01-01T00:00:00Z</updated>
<author><name>Jane Doe</name></author><author><name>Li Si</name></author></entry>
<entry><id>2</id><title>b</title><updated>2024-01-01T00:00:00Z</updated></entry>
</feed>"""


PLANET = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Planet</title><id>p</id>
<author><name>Planet Admin</name></author><updated>2024-01-01T00:00:00Z</updated>
<entry><id>1</id><title>a</title><updated>2024-01-01T00:00:00Z</updated>
<source><id>s</id><title>Blog</title><author><name>Blogger</name></author></source></entry>
</feed>"""


def feed_json(items: list[dict[str, object]], **top: object) -> bytes:
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "W", "items": items}
    return json.dumps(document | top).encode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (RSS, [["张三"], ["Jane Doe"], []]),  # the channel's editor is no entry's author
        (ATOM, [["Jane Doe", "Li Si"], ["Feed Writer"]]),  # RFC 4287: the feed's applies
        (
            feed_json(
                [
                    {"id": "1", "authors": [{"name": "Jane Doe"}, {"url": "x"}]},
                    {"id": "2", "author": {"name": "张三"}},  # JSON Feed 1.0
                    {"id": "3"},
                ],
                authors=[{"name": "Feed Writer"}],
            ),
            [["Jane Doe"], ["张三"], ["Feed Writer"]],
        ),
        (feed_json([{"id": "1", "authors": "nobody"}]), [[]]),  # not a list: nothing
        (PLANET, [["Blogger"]]),  # an aggregated entry: its <source>'s, not the planet's
    ],
)
def test_a_feed_entry_s_authors(data: bytes, expected: list[list[str]]) -> None:
    entries = parse_feed(data, "https://example.org/feed")[1]
    assert [entry.extra.get("author", []) for entry in entries] == expected


def test_feed_entries_are_stored_with_their_authors(library: Library, tmp_path: Path) -> None:
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(ATOM)
    add_feed(library, str(feed_file), name="Wire")
    refresh(library.path)
    titles = {library.article(i).title: library.article(i).extra for i in library.ids()}  # type: ignore[union-attr]
    assert titles == {"a": {"author": ("Jane Doe", "Li Si")}, "b": {"author": ("Feed Writer",)}}
    assert ids_of(library, "author:li") == {"a"}


def test_doctor_recover_carries_feed_entries_over_with_their_authors(
    library: Library, tmp_path: Path, capsys: Capsys
) -> None:
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(ATOM)
    add_feed(library, str(feed_file), name="Wire")
    refresh(library.path)
    library.close()
    feed_file.unlink()  # the entries now live only in the library
    assert main(["--library", str(library.path), "doctor", "--recover"]) == 0
    assert "Carried over 2 feed entries" in capsys.readouterr().out
    with Library(library.path) as again:
        extras = {again.article(i).title: again.article(i).extra for i in again.ids()}  # type: ignore[union-attr]
    assert extras == {"a": {"author": ("Jane Doe", "Li Si")}, "b": {"author": ("Feed Writer",)}}


def test_tags_are_never_read_from_a_mapping() -> None:
    article = parse_bytes(b"---\ntitle: T\ntags: {name: x}\n---\nBody\n", "/p/a.md")
    assert article.tags == ()


def test_show_and_list_json_print_the_authors(authored: Path, capsys: Capsys) -> None:
    assert main(["--library", str(authored), "list", "--json"]) == 0
    records = {record["title"]: record for record in json.loads(capsys.readouterr().out)}
    assert records["Two"]["authors"] == ["Jane Roe", "张三"]
    assert records["Three"]["authors"] == []
    with Library(authored) as library:
        two = next(i for i in library.ids() if library.article(i).title == "Two")  # type: ignore[union-attr]
    assert main(["--library", str(authored), "show", str(two), "--width", "60"]) == 0
    assert "Authors    Jane Roe, 张三" in capsys.readouterr().out.splitlines()
    assert main(["--library", str(authored), "show", str(two), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["authors"] == ["Jane Roe", "张三"] and "extra" not in record
    assert main(["--library", str(authored), "show", str(two), "--markdown"]) == 0
    assert "Authors:    Jane Roe, 张三" in capsys.readouterr().out.splitlines()
