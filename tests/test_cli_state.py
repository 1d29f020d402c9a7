"""The command line for the reader's state and search: bookmark, tag(s), export/import, search."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from rich.cells import cell_len

from reader.cli import _globals_first, main
from reader.library import Library

WritePost = Callable[[str, bytes | str], Path]
Capsys = pytest.CaptureFixture[str]
RECORD_KEYS = {
    "id", "title", "date", "source", "categories", "tags", "authors", "url", "path", "read",
    "bookmarked", "missing",
}  # fmt: skip


def run(capsys: Capsys, *args: str | Path) -> tuple[int, str, str]:
    """Run the CLI; an argparse exit counts as its exit code."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


@pytest.fixture
def folder(write_post: WritePost, posts: Path) -> Path:
    write_post(
        "2022-05-20-trade.md",
        "---\ntitle: Trade news\ndate: 2022-05-20\ncategories: economy\n"
        "tags: [trade, 外贸]\n---\n十项措施 ten measures.\n",
    )
    write_post(
        "2022-05-21-fx.md",
        "---\ntitle: 人民币汇率\ndate: 2022-05-21\ntags: [外汇]\n---\n美元指数上涨。\n",
    )
    write_post("2021-12-08-old.md", "---\ntitle: Old news\n---\nOld body.\n")
    return posts


def imported(capsys: Capsys, db: Path, folder: Path) -> dict[str, int]:
    code, _, _ = run(capsys, "--library", db, "import", "--quiet", folder)
    assert code == 0
    return {r["title"]: r["id"] for r in listing(capsys, db)}


def listing(capsys: Capsys, db: Path, *args: str) -> list[dict]:
    code, out, err = run(capsys, "--library", db, "list", "--json", *args)
    records = json.loads(out)
    # as grep: status 1 when nothing matches
    assert (code, err) == ((0, "") if records else (1, "newsreader: no articles match\n")), err
    return records


def shown(capsys: Capsys, db: Path, article_id: int) -> dict:
    code, out, _ = run(capsys, "--library", db, "show", str(article_id), "--json")
    assert code == 0
    return json.loads(out)


def searched(capsys: Capsys, db: Path, *args: str) -> list[dict]:
    code, out, err = run(capsys, "--library", db, "search", "--json", *args)
    records = json.loads(out)
    # as grep: status 1 when nothing matches
    assert (code, err) == ((0, "") if records else (1, "newsreader: no articles match\n")), err
    return records


# ---- bookmarks ----------------------------------------------------------------------------------


def test_bookmark_with_a_note_and_unbookmark(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    trade = ids["Trade news"]
    code, out, _ = run(capsys, "--library", db, "bookmark", str(trade))
    assert code == 0 and out.strip() == f"Bookmarked {trade}"
    assert [r["id"] for r in listing(capsys, db, "--bookmarked")] == [trade]

    code, out, _ = run(capsys, "--library", db, "bookmark", str(trade), "--note", "读一读 later")
    assert code == 0 and out.strip() == f"Bookmarked {trade} with note: 读一读 later"
    record = shown(capsys, db, trade)
    assert record["bookmarked"] is True and record["note"] == "读一读 later"

    code, out, _ = run(capsys, "--library", db, "unbookmark", str(trade))
    assert code == 0 and out.strip() == f"Removed the bookmark of {trade}"
    assert listing(capsys, db, "--bookmarked") == []
    assert shown(capsys, db, trade)["bookmarked"] is False


@pytest.mark.parametrize("command", ["bookmark", "unbookmark"])
def test_bookmark_of_an_unknown_id_fails(
    capsys: Capsys, db: Path, folder: Path, command: str
) -> None:
    imported(capsys, db, folder)
    code, out, err = run(capsys, "--library", db, command, "999")
    assert code == 1 and out == ""
    assert "no article with id 999" in err


# ---- tags ---------------------------------------------------------------------------------------


def test_tag_adds_and_removes(capsys: Capsys, db: Path, folder: Path) -> None:
    trade = imported(capsys, db, folder)["Trade news"]
    code, out, err = run(
        capsys, "--library", db, "tag", str(trade), "+a", "+机器学习", "+machine learning",
        "-trade", "bare",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == f"{trade}: 外贸, a, 机器学习, machine learning, bare"
    record = shown(capsys, db, trade)
    assert record["tags"] == ["外贸", "a", "机器学习", "machine learning", "bare"]
    assert record["user_tags"] == ["a", "机器学习", "machine learning", "bare"]
    assert record["hidden_tags"] == ["trade"]

    code, out, _ = run(capsys, "--library", db, "tag", str(trade), "-外贸", "-A", "-bare")
    assert code == 0
    assert out.strip() == f"{trade}: 机器学习, machine learning"


def test_tag_uses_the_existing_spelling(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    code, out, _ = run(capsys, "--library", db, "tag", str(ids["Old news"]), "+TRADE")
    assert code == 0 and out.strip() == f"{ids['Old news']}: trade"


def test_tag_needs_changes_and_a_known_id(capsys: Capsys, db: Path, folder: Path) -> None:
    trade = imported(capsys, db, folder)["Trade news"]
    code, out, err = run(capsys, "--library", db, "tag", str(trade))
    assert code == 2 and out == "" and "+tag" in err
    code, out, err = run(capsys, "--library", db, "tag", "999", "+x")
    assert code == 1 and "no article with id 999" in err


def test_tags_lists_counts(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    run(capsys, "--library", db, "tag", str(ids["人民币汇率"]), "+trade")
    run(capsys, "--library", db, "tag", str(ids["Old news"]), "+trade", "+机器 学习")
    run(capsys, "--library", db, "bookmark", str(ids["Old news"]))
    code, out, _ = run(capsys, "--library", db, "tags", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"name": "trade", "count": 3, "unread": 3},
        {"name": "外汇", "count": 1, "unread": 1},
        {"name": "外贸", "count": 1, "unread": 1},
        {"name": "机器 学习", "count": 1, "unread": 1},
    ]
    code, out, _ = run(capsys, "--library", db, "tags")
    assert code == 0
    assert out.splitlines() == [
        "      3  trade",
        "      1  外汇",
        "      1  外贸",
        "      1  机器 学习",
    ]


def test_tags_rename_and_delete(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    run(capsys, "--library", db, "tag", str(ids["Old news"]), "+外汇")
    code, out, _ = run(capsys, "--library", db, "tags", "rename", "外汇", "Forex")
    assert code == 0 and out.strip() == "Renamed '外汇' to 'Forex' on 2 articles"
    code, out, _ = run(capsys, "--library", db, "tags", "rename", "TRADE", "forex")
    assert code == 0 and out.strip() == "Renamed 'TRADE' to 'Forex' on 1 article"  # a merge
    tags = {r["title"]: r["tags"] for r in listing(capsys, db)}
    assert tags == {"人民币汇率": ["Forex"], "Trade news": ["外贸", "Forex"], "Old news": ["Forex"]}

    code, out, _ = run(capsys, "--library", db, "tags", "delete", "forex")
    assert code == 0 and out.strip() == "Removed the tag 'forex' from 3 articles"
    code, out, _ = run(capsys, "--library", db, "tags", "--json")
    assert json.loads(out) == [{"name": "外贸", "count": 1, "unread": 1}]
    # The deleted source tags stay hidden when the folder is imported again.
    (folder / "2022-05-20-trade.md").write_text(
        (folder / "2022-05-20-trade.md").read_text(encoding="utf-8") + "More.\n", encoding="utf-8"
    )
    run(capsys, "--library", db, "import", "--quiet", folder)
    assert {r["title"]: r["tags"] for r in listing(capsys, db)}["Trade news"] == ["外贸"]


def test_tags_rename_and_delete_of_unknown_tags_fail(
    capsys: Capsys, db: Path, folder: Path
) -> None:
    imported(capsys, db, folder)
    code, out, err = run(capsys, "--library", db, "tags", "rename", "nope", "x")
    assert code == 1 and out == "" and "'nope'" in err
    code, out, err = run(capsys, "--library", db, "tags", "delete", "nope")
    assert code == 1 and out == "" and "'nope'" in err
    code, out, err = run(capsys, "--library", db, "tags", "frobnicate")
    assert code == 2 and "tags rename OLD NEW" in err
    code, out, err = run(capsys, "--library", db, "tags", "rename", "trade")
    assert code == 2


@pytest.mark.parametrize("new", ["#", "   "])
def test_tags_rename_to_no_name_fails_clearly(
    capsys: Capsys, db: Path, folder: Path, new: str
) -> None:
    imported(capsys, db, folder)
    code, out, err = run(capsys, "--library", db, "tags", "rename", "trade", new)
    assert code != 0 and out == ""
    assert err.startswith("newsreader: ")
    assert {r["title"]: r["tags"] for r in listing(capsys, db)}["Trade news"] == ["trade", "外贸"]


# ---- list filters -------------------------------------------------------------------------------


def test_list_filters_combine(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    trade, fx, old = ids["Trade news"], ids["人民币汇率"], ids["Old news"]
    for article_id in (trade, fx, old):
        run(capsys, "--library", db, "tag", str(article_id), "+机器 学习")
    run(capsys, "--library", db, "bookmark", str(trade))
    run(capsys, "--library", db, "bookmark", str(fx))
    run(capsys, "--library", db, "bookmark", str(old))
    run(capsys, "--library", db, "tag", str(old), "+trade")

    def titles(*args: str) -> list[str]:
        return [r["title"] for r in listing(capsys, db, *args)]

    assert titles("--tag", "机器 学习") == ["人民币汇率", "Trade news", "Old news"]
    assert titles("--tag", "TRADE") == ["Trade news", "Old news"]
    assert titles("--tag", "trade", "--tag", "外贸") == ["Trade news"]
    assert titles("--bookmarked") == ["人民币汇率", "Trade news", "Old news"]

    with Library(db) as library:  # the CLI has no command to mark read
        library.set_read([trade])
    assert titles("--tag", "trade", "--bookmarked", "--unread") == ["Old news"]
    assert titles("--unread", "--tag", "外汇") == ["人民币汇率"]
    assert titles("--tag", "外汇", "--tag", "trade") == []


def test_list_json_tags_are_the_visible_ones(capsys: Capsys, db: Path, folder: Path) -> None:
    trade = imported(capsys, db, folder)["Trade news"]
    run(capsys, "--library", db, "tag", str(trade), "-trade", "+mine", "+机器 学习")
    (record,) = [r for r in listing(capsys, db) if r["id"] == trade]
    assert set(record) == RECORD_KEYS
    assert record["tags"] == ["外贸", "mine", "机器 学习"]


# ---- export and import --------------------------------------------------------------------------


def test_export_state_then_import_it_into_a_fresh_library(
    capsys: Capsys, db: Path, folder: Path, tmp_path: Path
) -> None:
    ids = imported(capsys, db, folder)
    run(capsys, "--library", db, "bookmark", str(ids["Trade news"]), "--note", "笔记")
    run(capsys, "--library", db, "tag", str(ids["Trade news"]), "-trade", "+machine learning")
    run(capsys, "--library", db, "tag", str(ids["人民币汇率"]), "+人民币")
    before = {r["title"]: shown(capsys, db, r["id"]) for r in listing(capsys, db)}

    state = tmp_path / "state.yaml"
    code, out, _ = run(capsys, "--library", db, "export-state", state)
    assert code == 0 and out.strip() == f"Wrote the state of 2 articles to {state}"
    text = state.read_text(encoding="utf-8")
    assert text.startswith("# newsreader state")
    assert "笔记" in text and "machine learning" in text  # readable, not escaped
    assert yaml.safe_load(text)["newsreader_state"] == 1
    assert not list(tmp_path.glob("*.tmp"))

    fresh = tmp_path / "fresh.db"
    imported(capsys, fresh, folder)
    code, out, _ = run(capsys, "--library", fresh, "import-state", state)
    assert code == 0
    assert out.strip() == "Restored the state of 2 articles; 0 not found in this library"
    after = {r["title"]: shown(capsys, fresh, r["id"]) for r in listing(capsys, fresh)}
    fields = ("read", "bookmarked", "note", "tags", "user_tags", "hidden_tags")
    for title, record in before.items():
        assert {f: after[title][f] for f in fields} == {f: record[f] for f in fields}, title


def test_import_state_reports_articles_it_cannot_find(
    capsys: Capsys, db: Path, folder: Path, tmp_path: Path
) -> None:
    imported(capsys, db, folder)
    state = tmp_path / "state.yaml"
    state.write_text(
        "newsreader_state: 1\narticles:\n- {path: /gone/a.md, bookmarked: true}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--library", db, "import-state", state)
    assert code == 0
    assert out.splitlines() == [
        "Restored the state of 0 articles; 1 not found in this library",
        "  not found: /gone/a.md",
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "No such file"),
        ("{{{ not: yaml", "not valid YAML"),
        ("- just\n- a list\n", "not a newsreader state file"),
        ("title: hello\n", "not a newsreader state file"),
        ("newsreader_state: 9\narticles: []\n", "state format 9"),
    ],
)
def test_import_state_of_a_bad_file_fails_clearly(
    capsys: Capsys, db: Path, folder: Path, tmp_path: Path, content: str | None, words: str
) -> None:
    trade = imported(capsys, db, folder)["Trade news"]
    run(capsys, "--library", db, "bookmark", str(trade))
    state = tmp_path / "state.yaml"
    if content is not None:
        state.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "--library", db, "import-state", state)
    assert code != 0
    assert out == ""
    assert err.startswith(f"newsreader: {state}")  # then the line, when YAML knows it
    assert words in err.splitlines()[0]
    assert [r["id"] for r in listing(capsys, db, "--bookmarked")] == [trade]


def test_import_state_of_broken_yaml_is_one_line(capsys: Capsys, db: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.yaml"
    state.write_text("{{{ not: yaml", encoding="utf-8")
    code, out, err = run(capsys, "--library", db, "import-state", state)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1


# ---- search -------------------------------------------------------------------------------------


def test_search_json_is_shaped_like_list_json(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    records = searched(capsys, db, "人民币 OR measures")
    assert [r["id"] for r in records] == [ids["人民币汇率"], ids["Trade news"]]
    listed = {r["id"]: r for r in listing(capsys, db)}
    for record in records:
        assert set(record) == RECORD_KEYS
        assert record == listed[record["id"]]


def test_search_words_filters_limit_and_sort(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    assert [r["title"] for r in searched(capsys, db, "tag:外贸")] == ["Trade news"]
    assert [r["title"] for r in searched(capsys, db, "news", "after:2022")] == ["Trade news"]
    assert [r["title"] for r in searched(capsys, db, "汇率", "is:unread")] == ["人民币汇率"]
    assert searched(capsys, db, "汇率 is:read") == []
    everything = [r["id"] for r in searched(capsys, db, "news OR 美元")]
    assert everything == [ids["人民币汇率"], ids["Trade news"], ids["Old news"]]
    assert [r["id"] for r in searched(capsys, db, "news OR 美元", "--limit", "2")] == everything[:2]
    by_relevance = searched(capsys, db, "news", "--sort", "relevance")
    assert {r["id"] for r in by_relevance} == {ids["Trade news"], ids["Old news"]}
    assert [r["id"] for r in searched(capsys, db, "news", "--sort", "newest")] == [
        ids["Trade news"],
        ids["Old news"],
    ]


def test_search_sort_date_is_the_configured_order(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    newest = [ids["Trade news"], ids["Old news"]]
    assert [r["id"] for r in searched(capsys, db, "news", "--sort", "date")] == newest
    assert [r["id"] for r in searched(capsys, db, "news", "--sort=oldest")] == newest[::-1]


def test_a_query_may_start_with_an_exclusion(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    code, out, err = run(capsys, "--library", db, "search", "-美元", "--json")
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == [ids["Trade news"], ids["Old news"]]
    code, out, err = run(capsys, "--library", db, "search", "-tag:外汇", "news", "--json")
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == [ids["Trade news"], ids["Old news"]]


def test_library_may_follow_the_command(capsys: Capsys, db: Path, folder: Path, home: Path) -> None:
    """`--library` after the command (even inside a search query) is the library, never
    a word of the query or an error, and the default library stays untouched."""
    ids = imported(capsys, db, folder)
    code, out, err = run(capsys, "search", "汇率", "--json", "--library", db)
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == [ids["人民币汇率"]]
    code, out, err = run(capsys, "list", f"--library={db}", "--json", "--limit", "1")
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == [ids["人民币汇率"]]
    code, out, _ = run(capsys, "stats", "--library", db)
    assert code == 0 and "3 unread" in out
    assert not list(home.rglob("*.db"))  # the default library was never opened
    for args in (["--library"], ["list", "--library"], ["search", "x", "--width"]):
        code, _, err = run(capsys, *args)
        assert code == 2 and "expected one argument" in err, args
    after_dashes = ["search", "x", "--", "--library", "y.db"]  # after `--`: words of the query
    assert _globals_first(after_dashes, 0) == (after_dashes, 0)
    assert _globals_first(["tag", "5", "--width", "60", "+a"], 0) == (
        ["--width", "60", "tag", "5", "+a"],
        2,
    )


def test_search_text_output(capsys: Capsys, db: Path, folder: Path) -> None:
    ids = imported(capsys, db, folder)
    run(capsys, "--library", db, "bookmark", str(ids["人民币汇率"]))
    code, out, _ = run(capsys, "--library", db, "search", "汇率")
    assert code == 0
    (line,) = out.splitlines()
    assert line.split() == [str(ids["人民币汇率"]), "*N", "2022-05-21", "posts", "人民币汇率"]
    code, out, err = run(capsys, "--library", db, "search", "nothing-here")
    assert (code, out, err) == (1, "", "newsreader: no articles match\n")


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ("foo:x bar", 0, "unknown filter foo:"),
        ('news "unclosed', 5, 'closing "'),
        ("news OR", 5, "OR needs something"),
        ("a date:2022-13", 2, "date: needs a date"),
    ],
)
def test_search_with_a_bad_query_points_at_the_problem(
    capsys: Capsys, db: Path, folder: Path, query: str, position: int, words: str
) -> None:
    imported(capsys, db, folder)
    code, out, err = run(capsys, "--library", db, "search", query)
    assert code == 2
    assert out == ""
    message, echo, caret = err.rstrip("\n").split("\n")
    assert message.startswith("newsreader: bad query: ") and words in message
    assert echo == f"  {query}"
    assert caret == "  " + " " * position + "^"


def test_a_bad_query_does_not_create_a_library(capsys: Capsys, db: Path) -> None:
    code, _, _ = run(capsys, "--library", db, "search", "tag:")
    assert code == 2
    assert not db.exists()


def test_the_caret_lines_up_under_chinese_text(capsys: Capsys, db: Path) -> None:
    query = "人民币 汇率 foo:x"
    code, _, err = run(capsys, "--library", db, "search", query)
    assert code == 2
    _, echo, caret = err.rstrip("\n").split("\n")
    assert cell_len(caret) - 1 == cell_len(echo[: echo.index("foo:x")])


def test_search_with_an_excluded_word_as_its_own_argument(
    capsys: Capsys, db: Path, folder: Path
) -> None:
    imported(capsys, db, folder)
    code, out, err = run(capsys, "--library", db, "search", "--json", "news", "-tag:外贸")
    assert code == 0, err
    assert [r["title"] for r in json.loads(out)] == ["Old news"]


def test_search_with_an_excluded_word_inside_one_argument(
    capsys: Capsys, db: Path, folder: Path
) -> None:
    imported(capsys, db, folder)
    assert [r["title"] for r in searched(capsys, db, "news -tag:外贸")] == ["Old news"]
    assert [r["title"] for r in searched(capsys, db, "--", "news", "-old")] == ["Trade news"]
