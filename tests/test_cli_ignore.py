"""The `ignore` setting on the command line: `list`, `search` and counts leave out what
the rules hide, `list --ignored` shows it, and an import applies mark-read rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run

from reader import config


@pytest.fixture
def ruled(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    posts = tmp_path / "posts"
    posts.mkdir()
    for name, title in (("a", "广告：买一送一"), ("b", "央行降息"), ("c", "Sponsored: a VPN")):
        (posts / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n正文 {name}\n")
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "ignore:\n  - query: 'title:广告'\n  - {query: 'title:Sponsored', action: mark-read}\n",
        encoding="utf-8",
    )
    assert run(capsys, "import", posts)[0] == 0
    return posts


def test_list_leaves_out_what_the_rules_hide_and_ignored_shows_it(
    ruled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    assert "广告" not in out and "央行降息" in out
    code, out, _ = run(capsys, "list", "--ignored")
    assert code == 0
    assert "广告：买一送一" in out and "央行降息" not in out
    code, _, err = run(capsys, "search", "买一送一")
    assert code == 1 and "no articles match" in err


def test_an_import_marks_read_what_a_mark_read_rule_matches(
    ruled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list", "--unread")
    assert code == 0
    assert "央行降息" in out and "Sponsored" not in out  # read as it arrived: not hidden
    assert "Sponsored: a VPN" in run(capsys, "list")[1]
