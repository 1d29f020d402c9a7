"""`show` prints what the reader shows; `list` lines up by display width; `search` says
when nothing matches, knows AND/NOT, prefixes and relative dates, and explains itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import run
from rich.cells import cell_len
from rich.text import Text

from reader import cli
from reader.cli import main
from reader.library import Library
from reader.library.query import QUERY_HELP
from reader.ui.render import Styles, header, layout

WritePost = Callable[[str, bytes | str], Path]
Capsys = pytest.CaptureFixture[str]

LONG = "中国人民银行宣布下调金融机构存款准备金率，释放长期资金约一万亿元，支持实体经济发展。" * 4


@pytest.fixture
def db(tmp_path: Path, write_post: WritePost, posts: Path, capsys: Capsys) -> Path:
    write_post(
        "财经新闻网/2022-05-20-rrr.md",
        "---\ntitle: 央行降准\ndate: 2022-05-20 09:30:00 +0800\ntags: [货币政策, 外汇]\n---\n"
        f"## 要点\n\n{LONG}\n\n详见[公告](https://www.pbc.gov.cn/a.html)。\n",
    )
    write_post(
        "中国人民银行新闻发布会/2022-05-21-fx.md",
        "---\ntitle: 外汇储备\ndate: 2022-05-21\ntags: [外贸]\n---\n外汇储备稳定。\n",
    )
    write_post("wire/2022-05-19-en.md", "---\ntitle: Rates held\ndate: 2022-05-19\n---\nText.\n")
    library = tmp_path / "cli.db"
    for folder in ("财经新闻网", "中国人民银行新闻发布会", "wire"):
        assert run(capsys, "--library", library, "import", posts / folder)[0] == 0
    return library


def article_id(db: Path, title: str) -> int:
    with Library(db) as library:
        return next(s.id for s in library.summaries(limit=-1) if s.title == title)


# ---- show ---------------------------------------------------------------------------------------


def test_show_prints_the_article_as_the_reader_lays_it_out(capsys: Capsys, db: Path) -> None:
    number = article_id(db, "央行降准")
    code, out, err = run(capsys, "--library", db, "show", number, "--width", "40")
    assert (code, err) == (0, "")
    with Library(db) as library:
        article = library.article(number)
    assert article is not None
    styles = Styles()
    expected = [
        *header(article, styles, 40, "%Y-%m-%d"),
        Text(),
        *layout(article, styles).lines(40, styles),
    ]
    assert out.splitlines() == [line.plain.rstrip() for line in expected]
    lines = out.splitlines()
    assert lines[0] == "央行降准"
    assert "Date       2022-05-20 09:30 +0800" in lines
    assert "要点" in lines and "## 要点" not in out  # headings laid out, not raw Markdown
    assert "详见公告[1]。" in lines
    assert lines[-2:] == ["Links", "[1] https://www.pbc.gov.cn/a.html"]
    assert "\x1b" not in out  # plain text: no colours, even for a terminal
    assert max(cell_len(line) for line in lines) <= 40
    assert max(cell_len(line) for line in lines) >= 38  # the paragraph fills the width


def test_show_width_is_the_option_wherever_it_stands_else_80_when_piped(
    capsys: Capsys, db: Path
) -> None:
    number = str(article_id(db, "央行降准"))
    after = run(capsys, "--library", db, "show", number, "--width", "50")
    before = run(capsys, "--library", db, "--width=50", "show", number)
    assert after == before and after[0] == 0
    assert max(cell_len(line) for line in after[1].splitlines()) <= 50
    code, out, _ = run(capsys, "--library", db, "show", number)  # capsys: not a terminal
    widths = [cell_len(line) for line in out.splitlines()]
    assert code == 0 and 78 <= max(widths) <= 80
    with pytest.raises(SystemExit) as exit_status:
        main(["--library", str(db), "show", number, "--width", "12"])
    assert exit_status.value.code == 2
    assert "must be from 30 to 300 columns" in capsys.readouterr().err


def test_the_global_width_still_sets_the_reading_width_of_the_app(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = {}
    monkeypatch.setitem(cli.COMMAND_FUNCS, "open", lambda args: seen.setdefault("w", args.width))
    assert main(["--library", str(db), "--width", "120"]) == 120
    assert seen == {"w": 120}


def test_show_json_carries_the_markdown_and_the_laid_out_text(capsys: Capsys, db: Path) -> None:
    number = article_id(db, "央行降准")
    code, out, _ = run(capsys, "--library", db, "show", number, "--json", "--width", "60")
    assert code == 0
    record = json.loads(out)
    assert record["body"].startswith("## 要点\n\n中国人民银行")
    text = run(capsys, "--library", db, "show", number, "--width", "60")[1]
    assert record["text"] == text.rstrip("\n")
    assert record["title"] == "央行降准" and record["tags"] == ["货币政策", "外汇"]


def test_show_markdown_and_json_do_not_go_together(capsys: Capsys, db: Path) -> None:
    with pytest.raises(SystemExit) as exit_status:
        main(["--library", str(db), "show", "1", "--json", "--markdown"])
    assert exit_status.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


# ---- list lines up by display width -------------------------------------------------------------


def test_list_aligns_titles_whatever_the_width_of_the_source_names(
    capsys: Capsys, db: Path
) -> None:
    code, out, _ = run(capsys, "--library", db, "list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    starts = set()
    for line, title in zip(lines, ("外汇储备", "央行降准", "Rates held"), strict=True):
        assert line.endswith(f"  {title}")
        starts.add(cell_len(line[: -len(title)]))
    assert len(starts) == 1  # every title starts in the same column
    assert "中国人民银行新闻" in lines[0] and "发布会" not in lines[0]  # cut at 16 cells


# ---- search: no hits, operators, prefixes, help -------------------------------------------------


def test_no_match_says_so_on_stderr_and_exits_1_as_grep(capsys: Capsys, db: Path) -> None:
    assert run(capsys, "--library", db, "search", "不存在的词") == (
        1,
        "",
        "newsreader: no articles match\n",
    )
    code, out, err = run(capsys, "--library", db, "search", "--json", "不存在的词")
    assert (code, json.loads(out), err) == (1, [], "newsreader: no articles match\n")
    assert run(capsys, "--library", db, "list", "--tag", "nothing")[0] == 1
    assert run(capsys, "--library", db, "list", "--bookmarked")[0] == 1
    empty = db.with_name("empty.db")
    assert run(capsys, "--library", empty, "list") == (0, "", "")  # no filter: nothing to match


def titles(capsys: Capsys, db: Path, *query: str) -> list[str]:
    code, out, err = run(capsys, "--library", db, "search", "--json", *query)
    assert code in (0, 1), err
    return [record["title"] for record in json.loads(out)]


def test_search_operators_prefixes_relative_dates_and_title_order(capsys: Capsys, db: Path) -> None:
    assert titles(capsys, db, "外汇", "AND", "储备") == ["外汇储备"]
    assert titles(capsys, db, "外汇", "NOT", "储备") == ["央行降准"]
    assert titles(capsys, db, "tag:货币") == ["央行降准"]  # a unique start of a tag
    assert titles(capsys, db, "source:WI") == ["Rates held"]
    assert titles(capsys, db, "source:中国") == ["外汇储备"]
    assert titles(capsys, db, "after:-7d") == []  # all of them are from 2022
    assert titles(capsys, db, "before:today") == ["外汇储备", "央行降准", "Rates held"]
    assert titles(capsys, db, "before:-1y", "--sort", "title") == [
        "Rates held",
        "外汇储备",
        "央行降准",
    ]
    code, out, _ = run(capsys, "--library", db, "list", "--sort", "title")
    assert code == 0 and out.splitlines()[0].endswith("Rates held")


def test_an_ambiguous_prefix_is_a_clear_error(capsys: Capsys, db: Path) -> None:
    code, out, err = run(capsys, "--library", db, "search", "tag:外")
    assert (code, out) == (2, "")
    assert err == "newsreader: bad query: tag:外 could be 外汇, 外贸\n"
    assert titles(capsys, db, "tag:外汇") == ["央行降准"]  # an exact name wins


def test_the_query_language_is_one_command_away(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "help", "query")
    assert (code, out) == (0, QUERY_HELP)
    for needed in ("AND", "NOT", "after:-7d", "tag:NAME", "source:NAME", "is:unread", "OR"):
        assert needed in QUERY_HELP
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    assert QUERY_HELP.splitlines()[1] in out and "after:today" in out
    code, out, _ = run(capsys, "help")
    assert code == 0 and "search" in out and "show" in out
