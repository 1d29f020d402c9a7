"""The settings file: defaults, one clear message per bad value, and a save that keeps the
user's comments; `newsreader config path|show` and the settings the other commands use."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import config
from reader.cli import main
from reader.config import Config, ConfigError

CHECKED = set(config.CHECKS)
COMMENTED = """\
# My newsreader settings.
theme: newsreader-paper   # the light one, for the day

# Wider than the default.
reading_width: 100
keys:
  next: ctrl+n   # like Emacs
sidebar: [tags, sources]
"""


@pytest.fixture
def config_file(home: Path) -> Path:
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_the_file_lives_in_the_config_directory_unless_named(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert config.config_path() == home / "config" / "config.yaml"
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path / "elsewhere.yaml"))
    assert config.config_path() == tmp_path / "elsewhere.yaml"


def test_a_missing_or_empty_file_means_defaults(config_file: Path) -> None:
    assert config.load() == (Config(), [])
    config_file.write_text("# nothing set yet\n")
    assert config.load() == (Config(), [])


def test_every_setting_is_read(config_file: Path, tmp_path: Path) -> None:
    config_file.write_text(
        f"theme: newsreader-ink\nreading_width: 72\ndate_format: '%d.%m.%Y'\nsort: oldest\n"
        f"mark_read_on_open: false\nsidebar: [tags, saved]\nlibrary: {tmp_path}/news.db\n"
        "keys:\n  next: ctrl+n\n  list.down: 'j,down,ctrl+j'\n"
    )
    loaded, problems = config.load()
    assert problems == []
    assert loaded == Config(
        theme="newsreader-ink",
        reading_width=72,
        date_format="%d.%m.%Y",
        sort="oldest",
        mark_read_on_open=False,
        sidebar=("tags", "saved"),
        library=f"{tmp_path}/news.db",
        keys={"next": "ctrl+n", "list.down": "j,down,ctrl+j"},
    )


def test_the_habits_settings_are_read(config_file: Path, tmp_path: Path) -> None:
    from reader.library.ignore import Rule

    config_file.write_text(
        "ignore:\n  - query: 'title:广告 OR title:推广'\n"
        "  - {feed: hn, query: 'title:\"Show HN\"', action: mark-read}\n"
        "pipe_to: less -R\npipe_markdown: true\nsave_to: ~/saved\n"
        "macros: {',r': ['browser:firefox %u', read], ',b': bookmark}\n"
        "images: fetch\nimage_cache_mb: 50\n",
        encoding="utf-8",
    )
    loaded, problems = config.load()
    assert problems == []
    assert loaded.ignore == (
        Rule("title:广告 OR title:推广"),
        Rule('title:"Show HN"', "hn", "mark-read"),
    )
    assert loaded.macros == {",r": ("browser:firefox %u", "read"), ",b": ("bookmark",)}
    assert (loaded.pipe_to, loaded.pipe_markdown) == ("less -R", True)
    assert loaded.save_to == str(Path("~/saved").expanduser())
    assert (loaded.images, loaded.image_cache_mb) == ("fetch", 50)
    shown = yaml.safe_load(config.dump(loaded))  # `config show` prints what reads back
    again, problems = config.parse(yaml.safe_dump({k: shown[k] for k in ("ignore", "macros")}))
    assert (again.ignore, again.macros, problems) == (loaded.ignore, loaded.macros, [])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("reading_width: wide", "reading_width must be a whole number from 30 to 300"),
        ("reading_width: 5", "reading_width must be a whole number from 30 to 300"),
        ("reading_width: true", "reading_width must be a whole number"),
        ("date_format: tomorrow", "date_format must be a short strftime format"),
        ("sort: sideways", "sort must be one of newest, oldest, title, not 'sideways'"),
        ("list_width: 5", "list_width must be a whole number from 20 to 200 (or null)"),
        ("list_width: wide", "list_width must be a whole number from 20 to 200"),
        ("show_sidebar: maybe", "show_sidebar must be true or false"),
        ("mark_read_on_open: maybe", "mark_read_on_open must be true or false"),
        ("sidebar: [tags, weather]", "sidebar must be a list of some of saved, sources"),
        ("sidebar: tags", "sidebar must be a list"),
        ("theme: ''", "theme must be a non-empty text"),
        ('theme: "dark\\e[31m"', "theme must not hold control characters"),
        ("library: 3", "library must be a non-empty text"),
        ("keys: [a, b]", "keys must map binding ids to keys"),
        ("colour: red", "unknown setting 'colour'"),
        ("ignore: title:ad", "ignore must be a list of rules such as {query:"),
        ("ignore: [{query: 'tag:'}]", "ignore rule 1: the query 'tag:': tag: needs a value"),
        ("ignore: [{query: ad, action: delete}]", "rule 1: action must be one of hide, mark"),
        ("ignore: [{query: ad, where: x}]", "rule 1 must have a query, and may have a feed"),
        ("macros: [a]", "macros must map keys to steps"),
        ("macros: {r: [read]}", "macros keys must be a prefix key and a key"),
        ("macros: {',r': ['browser:']}", "macros ,r: a step must be a non-empty text"),
        ("images: maybe", "images must be true, false or fetch"),
        ("image_cache_mb: 0", "image_cache_mb must be a whole number of megabytes"),
        ('pipe_to: "less \'"', "pipe_to must be a command such as 'less -R'"),
    ],
)
def test_a_bad_value_names_its_key_and_line_and_the_rest_still_counts(
    config_file: Path, line: str, message: str
) -> None:
    key = line.split(":")[0]
    good = "mark_read_on_open: false" if key == "sort" else "sort: oldest"
    config_file.write_text(f"# settings\n{line}\n{good}\n")
    loaded, problems = config.load()
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{config_file}, line 2: "), problems
    assert message in problems[0]
    kept = ("mark_read_on_open", False) if key == "sort" else ("sort", "oldest")
    assert getattr(loaded, kept[0]) == kept[1]  # the good settings around it are kept
    if key in CHECKED:
        assert getattr(loaded, key) == getattr(Config(), key)  # the default, as said


def test_a_bad_key_binding_is_dropped_alone(config_file: Path) -> None:
    config_file.write_text("keys:\n  next: ctrl+n\n  bookmark: 'x y'\n  read: 3\n")
    loaded, problems = config.load()
    assert loaded.keys == {"next": "ctrl+n"}
    assert [p.split(": keys: ")[0] for p in problems] == [
        f"{config_file}, line 3",
        f"{config_file}, line 4",
    ]
    assert "bookmark must be keys like" in problems[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("theme: [unclosed\n", ", line 2: "),
        ("\ttheme: x\n", ", line 1: "),
        ("- just\n- a list\n", "expected `setting: value` lines, not a list"),
        ("just words\n", "expected `setting: value` lines, not a str"),
    ],
)
def test_a_broken_file_gives_one_message_and_the_defaults(
    config_file: Path, text: str, message: str
) -> None:
    config_file.write_text(text)
    loaded, problems = config.load()
    assert loaded == Config()
    assert len(problems) == 1 and message in problems[0] and str(config_file) in problems[0]


def test_an_unreadable_file_is_reported(config_file: Path) -> None:
    config_file.write_bytes(b"theme: \xff\xfe\x00bad")
    loaded, problems = config.load()
    assert loaded == Config() and "cannot be read" in problems[0]


def test_an_alias_bomb_is_refused_not_expanded(config_file: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    config_file.write_text("\n".join(lines) + "\nsidebar: *a8\n")
    loaded, problems = config.load()
    assert loaded.sidebar == Config().sidebar
    assert any("sidebar must be a list of some of" in p for p in problems)
    assert max(len(p) for p in problems) < 2000  # the message does not spell the bomb out


def test_a_binding_id_that_is_not_text_is_named(config_file: Path) -> None:
    config_file.write_text("keys:\n  3: x\n  next: ctrl+n\n")
    loaded, problems = config.load()
    assert loaded.keys == {"next": "ctrl+n"}
    assert problems == [f"{config_file}, line 2: keys: an entry is not a binding id: 3; ignored"]


def test_an_alias_bomb_as_a_binding_id_is_not_expanded(config_file: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    config_file.write_text("\n".join(lines) + "\nkeys:\n  ? *a8\n  : x\n")
    loaded, problems = config.load()
    assert loaded == Config()
    assert len(problems) == 1 and len(problems[0]) < 1000


def test_unknown_binding_ids_are_named() -> None:
    settings_ = Config(keys={"next": "ctrl+n", "nxet": "ctrl+x"})
    problems = config.unknown_keys(settings_, ["next", "previous"])
    assert problems == ["config.yaml: keys: no binding has the id 'nxet'; ids: docs/guide.md, Keys"]


# ---- saving back ---------------------------------------------------------------------------


def test_saving_keeps_comments_order_and_other_keys(config_file: Path) -> None:
    config_file.write_text(COMMENTED)
    config.save({"theme": "newsreader-ink", "reading_width": 84})
    assert config_file.read_text() == COMMENTED.replace(
        "theme: newsreader-paper   #", "theme: newsreader-ink   #"
    ).replace("reading_width: 100", "reading_width: 84")


def test_saving_over_a_value_holding_a_hash_replaces_its_line(config_file: Path) -> None:
    config_file.write_text('theme: "dark#2"\nsort: oldest  # mine\n')
    config.save({"theme": "newsreader-ink"})
    assert config_file.read_text() == "theme: newsreader-ink\nsort: oldest  # mine\n"


def test_saving_a_new_key_appends_it(config_file: Path) -> None:
    config_file.write_text("# just a comment, no newline at the end")
    config.save({"reading_width": 70})
    assert config_file.read_text() == "# just a comment, no newline at the end\nreading_width: 70\n"
    assert config.load() == (Config(reading_width=70), [])


def test_saving_creates_the_file_and_its_folder(home: Path) -> None:
    path = config.save({"theme": "newsreader-paper"})
    assert path == home / "config" / "config.yaml"
    assert path.read_text().startswith("# newsreader settings")
    assert config.load()[0].theme == "newsreader-paper"


def test_values_yaml_would_misread_are_quoted(config_file: Path) -> None:
    for theme in ("yes", "null", "123", "a: b", "# not a comment", "[x]"):
        config.save({"theme": theme})
        assert config.load() == (Config(theme=theme), []), config_file.read_text()


@pytest.mark.parametrize("text", ["theme: [unclosed\n", "- a list\n", "theme:\n  - nested\n"])
def test_a_file_that_cannot_be_edited_safely_is_left_alone(config_file: Path, text: str) -> None:
    config_file.write_text(text)
    with pytest.raises(ConfigError, match=str(config_file)):
        config.save({"theme": "newsreader-ink"})
    assert config_file.read_text() == text
    assert [p.name for p in config_file.parent.iterdir()] == ["config.yaml"]  # no temp file


def test_saving_through_a_symlink_keeps_the_link(config_file: Path, tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "newsreader.yaml"
    real.parent.mkdir()
    real.write_text("theme: a  # mine\n")
    config_file.symlink_to(real)
    config.save({"theme": "b"})
    assert config_file.is_symlink()
    assert real.read_text() == "theme: b  # mine\n"


def test_saving_keeps_the_file_mode(config_file: Path) -> None:
    config_file.write_text("theme: a\n")
    config_file.chmod(0o600)
    config.save({"theme": "b"})
    assert config_file.stat().st_mode & 0o777 == 0o600


COMMENTS = st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=20)
NAMES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1
).filter(lambda s: s.strip() == s and s.strip())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(theme=NAMES, width=st.integers(30, 300), comment=COMMENTS)
def test_any_saved_value_reads_back_with_comments_kept(
    home: Path, theme: str, width: int, comment: str
) -> None:
    path = home / "prop.yaml"
    home.mkdir(parents=True, exist_ok=True)
    original = f"# {comment}\ntheme: old  # {comment}\nsort: oldest\n"
    path.write_text(original)
    config.save({"theme": theme, "reading_width": width}, path)
    loaded, problems = config.load(path)
    assert (loaded.theme, loaded.reading_width, loaded.sort, problems) == (
        theme,
        width,
        "oldest",
        [],
    )
    assert path.read_text().startswith(f"# {comment}\ntheme: ")
    assert f"  # {comment}\nsort: oldest\n" in path.read_text()


# ---- the command line ----------------------------------------------------------------------


def test_config_path_prints_where_the_file_is(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out == f"{home / 'config' / 'config.yaml'}\n"


def test_config_show_prints_the_effective_settings(
    config_file: Path,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COLORFGBG", raising=False)
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# {config_file} (no such file yet")
    shown = yaml.safe_load(out)
    assert shown == {
        **Config().as_dict(),
        "library": str(home / "data" / "library.db"),
        "theme": "newsreader-ink",  # the theme in effect, not `null`
    }

    config_file.write_text(COMMENTED + "sort: upward\nkeys_typo: 1\n")
    assert main(["config", "show"]) == 0
    out, err = capsys.readouterr()
    shown = yaml.safe_load(out)
    assert shown["theme"] == "newsreader-paper"
    assert shown["reading_width"] == 100
    assert shown["sort"] == "newest"  # the bad value's default
    assert shown["keys"] == {"next": "ctrl+n"}
    assert "line 9: sort must be one of newest, oldest, title, not 'upward'" in err
    assert "line 10: unknown setting 'keys_typo'" in err


@pytest.mark.parametrize(
    ("colorfgbg", "setting", "shown"),
    [
        (None, None, "theme: newsreader-ink  # the default for a dark terminal"),
        ("15;0", None, "theme: newsreader-ink  # the default for a dark terminal"),
        ("0;15", None, "theme: newsreader-paper  # the default for a light terminal"),
        ("0;default;15", "auto", "theme: newsreader-paper  # the default for a light terminal"),
        ("0;15", "newsreader-sepia", "theme: newsreader-sepia\n"),
    ],
)
def test_config_show_prints_the_theme_in_effect(
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    colorfgbg: str | None,
    setting: str | None,
    shown: str,
) -> None:
    """The chosen theme, else the default for the terminal (COLORFGBG), marked as such."""
    if colorfgbg is None:
        monkeypatch.delenv("COLORFGBG", raising=False)
    else:
        monkeypatch.setenv("COLORFGBG", colorfgbg)
    if setting:
        config_file.write_text(f"theme: {setting}\n")
    assert main(["config", "show"]) == 0
    assert shown in capsys.readouterr().out


def test_config_show_names_unknown_binding_ids(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_text("keys:\n  bookmrk: x\n  bookmark: x\n  quit: r\n")
    assert main(["config", "show"]) == 0
    err = capsys.readouterr().err
    assert "no binding has the id 'bookmrk'" in err
    assert "'bookmark'" not in err
    assert "keys: r is now quit's key, so read has lost it (and has no key left)" in err


def test_the_library_setting_is_used_below_flag_and_environment(
    config_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configured = tmp_path / "configured.db"
    config_file.write_text(f"library: {configured}\n")
    assert main(["stats"]) == 0
    assert f"Library:    {configured}" in capsys.readouterr().out
    monkeypatch.setenv("NEWSREADER_LIBRARY", str(tmp_path / "env.db"))
    assert main(["stats"]) == 0
    assert f"Library:    {tmp_path / 'env.db'}" in capsys.readouterr().out
    assert main(["--library", str(tmp_path / "flag.db"), "stats"]) == 0
    assert f"Library:    {tmp_path / 'flag.db'}" in capsys.readouterr().out


def test_list_and_search_follow_the_configured_sort(
    config_file: Path,
    write_post: object,
    posts: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for day in (1, 2, 3):
        write_post(f"p{day}.md", f"---\ntitle: Day {day}\ndate: 2024-01-0{day}\n---\nnews\n")  # type: ignore[operator]
    db = str(tmp_path / "sorted.db")
    assert main(["--library", db, "import", "--quiet", str(posts)]) == 0

    def titles(*args: str) -> list[str]:
        capsys.readouterr()
        assert main(["--library", db, *args, "--json"]) == 0
        return [row["title"] for row in json.loads(capsys.readouterr().out)]

    assert titles("list") == ["Day 3", "Day 2", "Day 1"]
    config_file.write_text("sort: oldest\n")
    assert titles("list") == ["Day 1", "Day 2", "Day 3"]
    assert titles("search", "news") == ["Day 1", "Day 2", "Day 3"]
    assert titles("list", "--sort", "newest") == ["Day 3", "Day 2", "Day 1"]
    assert titles("search", "--sort", "newest", "news") == ["Day 3", "Day 2", "Day 1"]


def test_a_bad_setting_is_a_warning_on_every_command(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_text("reading_width: huge\n")
    assert main(["--library", str(tmp_path / "x.db"), "stats"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("newsreader: warning: ") and "line 1: reading_width" in err


@pytest.mark.parametrize("width", ["10", "301", "wide"])
def test_width_flag_out_of_range_is_refused(width: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--width", width, "stats"])
    assert exit_.value.code == 2
    assert "--width: must be from 30 to 300 columns" in capsys.readouterr().err


def test_no_config_file_is_written_by_reading_commands(config_file: Path, tmp_path: Path) -> None:
    assert main(["--library", str(tmp_path / "x.db"), "stats"]) == 0
    assert not config_file.exists()
    assert os.listdir(config_file.parent) == []


def test_the_readme_example_is_a_valid_settings_file() -> None:
    from reader.ui.app import binding_ids

    readme = (Path(__file__).parents[1] / "docs" / "reference.md").read_text()
    example = readme.split("## Configuration", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    loaded, problems = config.parse(example)
    assert problems == []
    assert config.unknown_keys(loaded, binding_ids()) == []
    assert loaded.keys and loaded.sidebar == config.SHOWN and loaded.library
