"""`newsreader dupes` lists the stories several sources carry, as lines and as JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import run
from story_texts import edited, news

WritePost = Callable[[str, bytes | str], Path]
Capsys = pytest.CaptureFixture[str]


def post(title: str, body: str, date: str) -> str:
    return f"---\ntitle: {title}\ndate: {date}\n---\n{body}\n"


@pytest.fixture
def db(tmp_path: Path, write_post: WritePost, posts: Path, capsys: Capsys) -> Path:
    for n in (1, 2):
        write_post(f"{n}a.md", post(f"原文{n}", news(n), f"2024-03-0{n} 09:00:00"))
        write_post(f"{n}b.md", post(f"转载{n}", edited(news(n)), f"2024-03-0{n} 15:00:00"))
    write_post("c.md", post("独家", news(3), "2024-03-01 10:00:00"))
    path = tmp_path / "lib.db"
    assert run(capsys, "--library", path, "import", posts)[0] == 0
    return path


def test_dupes_lists_each_story_newest_first_its_articles_oldest_first(
    db: Path, capsys: Capsys
) -> None:
    code, out, _ = run(capsys, "--library", db, "dupes")
    assert code == 0
    blocks = [block.splitlines() for block in out.strip().split("\n\n")]
    assert [[line.split()[-1] for line in block] for block in blocks] == [
        ["原文2", "转载2"],
        ["原文1", "转载1"],
    ]
    assert "独家" not in out


def test_dupes_json_is_an_array_of_stories_of_list_records(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(capsys, "--library", db, "dupes", "--json", "--limit", "1")
    assert code == 0
    stories = json.loads(out)
    assert [[record["title"] for record in story] for story in stories] == [["原文2", "转载2"]]
    assert {"id", "date", "path", "read", "tags"} <= stories[0][0].keys()


def test_dupes_says_so_and_fails_when_no_story_has_two_articles(
    tmp_path: Path, write_post: WritePost, posts: Path, capsys: Capsys
) -> None:
    write_post("a.md", post("独家", news(3), "2024-03-01 10:00:00"))
    path = tmp_path / "lib.db"
    run(capsys, "--library", path, "import", posts)
    code, out, err = run(capsys, "--library", path, "dupes")
    assert (code, out) == (1, "") and "no story" in err


def test_show_lists_the_story_and_caps_a_long_one(db: Path, capsys: Capsys) -> None:
    from reader.library import Library
    from reader.ui.render import COPIES_SHOWN, Styles, header

    with Library(db) as library:
        first = library.stories()[0][0]
        code, out, _ = run(capsys, "--library", db, "show", str(first))
        assert code == 0 and "Same story 1= " in out and "转载2" in out
        article = library.article(first)
        assert article is not None
        copy = article.copies[0]
        many = article._replace(copies=(copy,) * (COPIES_SHOWN + 3))
    lines = [line.plain for line in header(many, Styles(), 80)]
    assert sum(bool(re.search(r"\d= ", line)) for line in lines) == COPIES_SHOWN
    assert any("and 3 more (= goes through them all)" in line for line in lines)
