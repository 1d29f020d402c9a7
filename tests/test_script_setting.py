"""`script: simplified|traditional|as-written`: Chinese articles shown in one script, in the
app and by `show`, while what is stored (and searched) never changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.cli import main
from reader.config import parse
from reader.library import Library, import_paths

WritePost = Callable[[str, bytes | str], Path]


@pytest.fixture
def db(tmp_path: Path, write_post: WritePost, posts: Path) -> Path:
    write_post("hk.md", "---\ntitle: 香港匯率與臺灣發展\n---\n頭髮乾燥的後來。\n")
    write_post("cn.md", "---\ntitle: 人民币汇率\n---\n台湾的发展，头发干燥。\n")
    path = tmp_path / "lib.db"
    with Library(path) as library:
        import_paths(library, [posts], jobs=1)
    return path


def show(capsys: pytest.CaptureFixture[str], db: Path, home: Path, script: str) -> str:
    config = home / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"script: {script}\n", encoding="utf-8")
    with Library(db) as library:
        ids = {row.title: row.id for row in library.summaries_for(library.ids())}
    out = []
    for title in ("香港匯率與臺灣發展", "人民币汇率"):
        assert main(["--library", str(db), "show", str(ids[title]), "--width", "80"]) == 0
        out.append(capsys.readouterr().out)
    return "\n".join(out)


def test_show_prints_articles_in_the_script_the_settings_ask_for(
    capsys: pytest.CaptureFixture[str], db: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_CONFIG", str(home / "config.yaml"))
    simplified = show(capsys, db, home, "simplified")
    assert "香港汇率与台湾发展" in simplified and "头发干燥的后来" in simplified
    traditional = show(capsys, db, home, "traditional")
    assert "人民幣匯率" in traditional and "臺灣的發展，頭髮乾燥" in traditional
    written = show(capsys, db, home, "as-written")
    assert "香港匯率與臺灣發展" in written and "人民币汇率" in written
    with Library(db) as library:  # stored as written, whatever is shown
        titles = {row.title for row in library.summaries_for(library.ids())}
    assert titles == {"香港匯率與臺灣發展", "人民币汇率"}


def test_an_unknown_script_is_a_warning_naming_the_choices() -> None:
    config, problems = parse("script: klingon\n")
    assert config.script == "as-written"
    assert problems and "script" in problems[0] and "traditional" in problems[0]
