"""The `newsreader` command line: import, list, show, stats, prune, and where the library is."""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import run

from reader.cli import COMMAND_FUNCS, build_parser

WritePost = Callable[[str, bytes | str], Path]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


@pytest.fixture
def folder(write_post: WritePost, posts: Path) -> Path:
    """Three good posts, one with broken YAML, one empty file, one image."""
    write_post(
        "2022-05-20-trade.md",
        "---\ntitle: Trade news\ndate: 2022-05-20 13:43:49 +0800\ncategories: economy\n"
        "tags: [trade, 外贸]\nlink: https://news.example/trade\n---\n"
        "<p>Ten measures.</p><p>More.</p>\n",
    )
    write_post("2021-12-08-old.md", "---\ntitle: Old news\ncategories: economy\n---\nOld body.\n")
    undated = write_post("notes/undated.txt", "---\ntitle: Undated\ntags: misc\n---\nNo date.\n")
    os.utime(undated, (946684800, 946684800))  # undated posts sort by file time: 2000-01-01
    write_post("2021-01-01-broken.md", "---\ntitle: ok\nkey: value\n  bad: indent\n---\nText.\n")
    write_post("empty.md", "")
    write_post("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return posts


def listing(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> list[dict]:
    code, out, _ = run(capsys, "--library", db, "list", "--json", *args)
    assert code == 0
    return json.loads(out)


def test_import_prints_summary_and_problems(
    capsys: pytest.CaptureFixture[str], db: Path, folder: Path
) -> None:
    code, out, err = run(capsys, "--library", db, "import", folder)
    assert code == 0
    assert out.strip() == (
        f"Imported into {db}: 4 new, 0 updated, 0 unchanged, 1 skipped, 1 warning, 1 error"
    )
    broken = folder.resolve() / "2021-01-01-broken.md"
    assert f"warning: {broken}:4: bad YAML front matter" in err
    assert f"error: {folder.resolve() / 'empty.md'}: empty file" in err

    code, out, _ = run(capsys, "--library", db, "import", folder)
    assert code == 0
    assert "0 new, 0 updated, 4 unchanged" in out


def test_import_quiet_prints_only_the_summary(
    capsys: pytest.CaptureFixture[str], db: Path, folder: Path
) -> None:
    code, out, err = run(capsys, "--library", db, "import", "--quiet", folder)
    assert code == 0
    assert out.startswith("Imported into") and err == ""


def test_import_of_a_missing_path_fails_clearly(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder"
    code, out, err = run(capsys, "--library", db, "import", missing)
    assert code != 0
    assert out == ""
    assert f"{missing}: no such file or folder" in err


def test_import_include_unpublished(
    capsys: pytest.CaptureFixture[str], db: Path, write_post: WritePost, posts: Path
) -> None:
    write_post("draft.md", "---\ntitle: Draft\npublished: false\n---\nText.\n")
    _, out, _ = run(capsys, "--library", db, "import", posts)
    assert "0 new" in out and "1 skipped (1 unpublished)" in out
    _, out, _ = run(capsys, "--library", db, "import", "--include-unpublished", posts)
    assert "1 new" in out
    assert [r["title"] for r in listing(capsys, db)] == ["Draft"]


def test_list_json_records_newest_first(
    capsys: pytest.CaptureFixture[str], db: Path, folder: Path
) -> None:
    run(capsys, "--library", db, "import", folder)
    records = listing(capsys, db)
    by_title = {r["title"]: r for r in records}
    assert [r["title"] for r in records] == [
        "Trade news",
        "Old news",
        "ok",
        "Undated",
    ]  # (recovered from its line)

    trade = by_title["Trade news"]
    assert trade["date"] == "2022-05-20T13:43:49+08:00"
    assert trade["categories"] == ["economy"]
    assert trade["tags"] == ["trade", "外贸"]
    assert trade["url"] == "https://news.example/trade"
    assert trade["path"] == str(folder.resolve() / "2022-05-20-trade.md")
    assert Path(trade["path"]).is_absolute()
    assert (trade["read"], trade["bookmarked"]) == (False, False)
    assert isinstance(trade["id"], int)

    undated = by_title["Undated"]
    assert (undated["date"], undated["url"], undated["categories"]) == (None, None, [])

    assert [r["id"] for r in listing(capsys, db, "--limit", "2")] == [r["id"] for r in records[:2]]


def test_list_json_dates_sort_newest_first(
    capsys: pytest.CaptureFixture[str], db: Path, write_post: WritePost, posts: Path
) -> None:
    for day in ("2021-03-01", "2023-01-15", "2022-07-04"):
        write_post(f"{day}-post.md", f"---\ntitle: Post {day}\n---\nBody.\n")
    run(capsys, "--library", db, "import", posts)
    assert [r["date"] for r in listing(capsys, db)] == ["2023-01-15", "2022-07-04", "2021-03-01"]


def test_list_text(capsys: pytest.CaptureFixture[str], db: Path, folder: Path) -> None:
    run(capsys, "--library", db, "import", folder)
    code, out, _ = run(capsys, "--library", db, "list", "--limit", "1")
    assert code == 0
    [line] = out.splitlines()
    assert re.match(r"\s*\d+ +N 2022-05-20  posts +Trade news$", line)


def test_show_markdown_prints_the_stored_article(
    capsys: pytest.CaptureFixture[str], db: Path, folder: Path
) -> None:
    run(capsys, "--library", db, "import", folder)
    article_id = listing(capsys, db)[0]["id"]
    code, out, _ = run(capsys, "--library", db, "show", str(article_id), "--markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Trade news"
    assert set(lines[1]) == {"="}
    assert "Date:       2022-05-20T13:43:49+08:00" in lines
    assert "Tags:       trade, 外贸" in lines
    assert "Link:       https://news.example/trade" in lines
    assert "Ten measures." in out and "<p>" not in out


def test_show_json_includes_the_body(
    capsys: pytest.CaptureFixture[str], db: Path, folder: Path
) -> None:
    run(capsys, "--library", db, "import", folder)
    article_id = listing(capsys, db)[0]["id"]
    code, out, _ = run(capsys, "--library", db, "show", str(article_id), "--json")
    assert code == 0
    record = json.loads(out)
    assert record["id"] == article_id
    assert record["title"] == "Trade news"
    assert record["body"] == "Ten measures.\n\nMore.\n"
    assert record["tags"] == ["trade", "外贸"]


def test_show_unknown_id_fails(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run(capsys, "--library", db, "show", "12345")
    assert code != 0
    assert out == "" and "12345" in err


def test_stats_counts_by_source_category_and_tag(
    capsys: pytest.CaptureFixture[str], db: Path, folder: Path
) -> None:
    run(capsys, "--library", db, "import", folder)
    code, out, _ = run(capsys, "--library", db, "stats")
    assert code == 0
    assert f"Library:    {db}" in out
    assert re.search(r"^Size: +\d+\.\d MB$", out, re.MULTILINE)
    assert "Articles:   4 (4 unread, 0 bookmarked, 0 missing)" in out
    sections = dict(re.findall(r"^(\w+) \((\d+)\):$", out, re.MULTILINE))
    assert sections == {"Sources": "1", "Categories": "1", "Tags": "3"}
    assert re.search(r"^ +4  posts$", out, re.MULTILINE)
    assert re.search(r"^ +2  economy$", out, re.MULTILINE)
    assert re.search(r"^ +1  外贸$", out, re.MULTILINE)


def test_prune_removes_missing_articles(
    capsys: pytest.CaptureFixture[str], db: Path, folder: Path
) -> None:
    run(capsys, "--library", db, "import", folder)
    (folder / "2021-12-08-old.md").unlink()
    _, out, _ = run(capsys, "--library", db, "import", folder)
    assert "1 missing" in out
    assert [r["missing"] for r in listing(capsys, db) if r["title"] == "Old news"] == [True]
    code, out, _ = run(capsys, "--library", db, "prune")
    assert (code, out.strip()) == (0, "Removed 1 article whose files are gone.")
    assert "Old news" not in [r["title"] for r in listing(capsys, db)]


def test_library_env_var_is_honoured(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    folder: Path,
) -> None:
    chosen = tmp_path / "from-env" / "env.db"
    monkeypatch.setenv("NEWSREADER_LIBRARY", str(chosen))
    code, out, _ = run(capsys, "import", folder)
    assert code == 0 and str(chosen) in out
    assert chosen.exists()
    code, out, _ = run(capsys, "list", "--json")
    assert len(json.loads(out)) == 4


def test_library_option_wins_over_env_var(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db: Path
) -> None:
    monkeypatch.setenv("NEWSREADER_LIBRARY", str(tmp_path / "env.db"))
    code, out, _ = run(capsys, f"--library={db}", "stats")
    assert code == 0 and f"Library:    {db}" in out
    assert not (tmp_path / "env.db").exists()


def test_default_library_lives_in_newsreader_home(
    capsys: pytest.CaptureFixture[str], home: Path, folder: Path
) -> None:
    code, out, _ = run(capsys, "import", folder)
    assert code == 0
    assert (home / "data" / "library.db").exists()
    assert str(home / "data" / "library.db") in out


def test_file_that_is_not_a_library_gives_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database\n" * 20)
    code, out, err = run(capsys, "--library", bogus, "list")
    assert code == 2
    assert out == ""
    assert err.startswith(f"newsreader: {bogus}")
    assert "Traceback" not in err


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


@pytest.mark.parametrize("command", sorted(COMMAND_FUNCS))
def test_the_parser_built_for_one_command_holds_that_command(command: str) -> None:
    """main builds only the parser of the command it runs (building all costs ~10 ms)."""
    assert _commands(build_parser(command)) == [command]
    assert command in _commands(build_parser())
