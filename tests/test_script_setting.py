"""`script: simplified|traditional|as-written`: Chinese articles shown in one script, in the
app and by `show`, while what is stored (and searched) never changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

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


def test_only_words_change_script_never_links_images_or_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = tmp_path / "links"
    posts.mkdir()
    (posts / "a.md").write_text(
        "---\ntitle: 台湾发展\n---\n见[台湾](https://zh.wikipedia.org/wiki/台湾)与"
        "<https://example.com/发展>。\n\n![头发](https://img.example.com/头发.png)\n\n"
        '代码：`print("发展")`\n\n```\ns = "头发"\n```\n',
        encoding="utf-8",
    )
    db = tmp_path / "links.db"
    with Library(db) as library:
        import_paths(library, [posts], jobs=1)
        [article_id] = library.ids()
    config = home / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("script: traditional\n", encoding="utf-8")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    assert main(["--library", str(db), "show", str(article_id), "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert "臺灣發展" in out and "見臺灣" in out  # the words
    for target in ("zh.wikipedia.org/wiki/台湾", "example.com/发展", "img.example.com/头发.png"):
        assert f"https://{quote(target)}" in out  # the targets, as written
    assert 'print("发展")' in out and 's = "头发"' in out  # code, as written
