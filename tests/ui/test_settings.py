"""The settings file in the app: rebound keys, reading width, dates, sort, sidebar sections,
mark-read-on-open, problems shown once, changes saved back, and NO_COLOR."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.binding import Binding

from reader import config
from reader.ui import keymap
from reader.ui.app import ReaderApp, binding_ids, keymap_clashes
from reader.ui.dates import format_date, short_format
from reader.ui.key_names import key_of
from reader.ui.keys import COMMANDS, KEYS, moves
from reader.ui.screens.help import HelpScreen
from reader.ui.widgets import Sidebar

from .helpers import TITLES, Fixture, main_of, notes, screen_text, settle

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]


def state(reader_lib: Fixture, article_id: int) -> tuple[bool, bool]:
    with reader_lib.open() as library:
        article = library.article(article_id)
    assert article is not None
    return article.read, article.bookmarked


async def test_a_rebound_key_works_and_the_old_one_no_longer_does(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app(keys={"bookmark": "x", "list.down": "ctrl+j"})
    first, second = reader_lib.ids[:2]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("b")
        await settle(pilot)
        assert state(reader_lib, first) == (False, False)
        await pilot.press("x")
        await settle(pilot)
        assert state(reader_lib, first) == (False, True)
        await pilot.press("j")  # list.down now is ctrl+j only
        await pilot.pause()
        assert screen.articles.cursor == 0
        await pilot.press("ctrl+j", "x")
        await settle(pilot)
        assert screen.articles.cursor == 1
        assert state(reader_lib, second) == (False, True)
        assert [n for n in notes(app) if "keys" in n] == []  # nothing to complain about


async def test_a_key_taken_from_another_binding_is_reported_once(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app(keys={"bookmark": "r"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", "r")
        await settle(pilot)
        assert state(reader_lib, reader_lib.ids[0]) == (False, False)  # r bookmarks twice
        clashes = [note for note in notes(app) if "has lost" in note]
        assert clashes == [
            "keys: r is now bookmark's key, so read has lost it (and has no key left)"
        ]


def test_keymap_clashes_name_the_binding_that_lost_a_key() -> None:
    assert keymap_clashes({"next": "j"}) == []  # a key of another widget: no clash
    assert keymap_clashes({"list.up": "?,j"}) == [
        "keys: j is now list.up's key, so list.down has lost it",
        "keys: ? is also list.up's key, which comes first in the article list: "
        "there ? does not open the help (f1 does)",
    ]
    assert keymap_clashes({"read": "b", "bookmark": "r"}) == []  # a swap loses nothing


async def test_the_help_lists_the_users_keys(make_app: MakeApp) -> None:
    app = make_app(keys={"bookmark": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(screen_text(app))
        assert "Your keys (from the config file)" in text
        assert re.search(r"x +bookmark \(instead of b\)", text), text


async def test_the_help_has_no_users_keys_section_without_overrides(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Your keys" not in "\n".join(screen_text(app))


async def test_settings_problems_and_unknown_binding_ids_are_shown_once(
    reader_lib: Fixture,
) -> None:
    problem = "config.yaml, line 2: sort must be one of newest, oldest, not 'up'; using newest"
    app = ReaderApp(reader_lib.path, config.Config(keys={"bookmrk": "x"}), [problem])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = notes(app)
        assert shown.count(problem) == 1
        assert [n for n in shown if "'bookmrk'" in n] == [
            "config.yaml: keys: no binding has the id 'bookmrk'; ids: docs/guide.md, Keys"
        ]
        assert main_of(app).articles.ids == reader_lib.ids  # and the app works


async def test_a_bad_settings_file_still_opens_the_app(reader_lib: Fixture, home: Path) -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True)
    path.write_text("reading_width: 70\nsidebar: [weather]\n")
    loaded, problems = config.load()
    app = ReaderApp(reader_lib.path, loaded, problems)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert main_of(app).body.reading_width == 70
        assert any("line 2: sidebar must be a list" in note for note in notes(app))
        assert len(main_of(app).articles.ids) == len(reader_lib.ids)


async def test_wider_and_narrower_keys_change_the_column_and_save_it(
    make_app: MakeApp, home: Path
) -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True)
    path.write_text("# mine\nreading_width: 60  # for the laptop\ntheme: newsreader-ink\n")
    app = make_app(reading_width=60, theme="newsreader-ink")
    async with app.run_test(size=(200, 40)) as pilot:  # a body pane of 100 columns
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "enter")  # the article of long paragraphs
        await settle(pilot)
        assert max(len(line) for line in screen.body.plain) <= 60
        await pilot.press("greater_than_sign", "greater_than_sign")
        await settle(pilot)
        assert screen.body.reading_width == 68
        assert 60 < max(len(line) for line in screen.body.plain) <= 68
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert screen.body.reading_width == 64
        await pilot.pause(0.6)  # the save waits for the keys to stop
    saved = "# mine\nreading_width: 64  # for the laptop\ntheme: newsreader-ink\n"
    assert path.read_text() == saved


async def test_the_reading_width_stays_in_bounds(make_app: MakeApp) -> None:
    app = make_app(reading_width=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert main_of(app).body.reading_width == 30
        assert "Reading width: 30 columns." in notes(app)


async def test_a_settings_file_that_cannot_be_saved_says_so_once(
    make_app: MakeApp, home: Path
) -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True)
    path.write_text("- not a mapping\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("greater_than_sign")
        await pilot.pause(0.6)
        await pilot.press("greater_than_sign")
        await pilot.pause(0.6)
        failures = [n for n in notes(app) if n.startswith("Settings not saved")]
        assert len(failures) == 1 and "not a mapping" in failures[0]
    assert path.read_text() == "- not a mapping\n"


async def test_mark_read_on_open_can_be_turned_off(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app(mark_read_on_open=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert main_of(app).open_id == reader_lib.ids[0]
        assert state(reader_lib, reader_lib.ids[0]) == (False, False)
        await pilot.press("r")  # marking stays one key away
        await settle(pilot)
        assert state(reader_lib, reader_lib.ids[0]) == (True, False)


async def test_the_sidebar_shows_the_chosen_sections_in_their_order(make_app: MakeApp) -> None:
    app = make_app(sidebar=("tags", "sources"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = main_of(app).query_one(Sidebar)
        headings = [
            str(option.prompt)
            for option in sidebar.options
            if option.id and option.id.startswith("heading-")
        ]
        assert headings == ["Tags", "Sources"]
        assert sidebar.get_option("tag\x1fpython")  # tags are still there


@pytest.mark.parametrize(
    ("size", "shown", "hidden"),
    [
        ((60, 36), ["03-08", "Links and pictures"], ["2024", "tech", "#web"]),  # narrow
        ((80, 36), ["2024-03-08", "tech", "Links and pictures", "#web"], ["#links"]),  # narrow
        ((100, 36), ["2024-03-08", "tech", "Links and pictures", "#web #links"], []),
        ((120, 36), ["2024-03-08", "tech", "Links and pictures", "#web #links"], []),
    ],
)
async def test_a_list_row_shows_the_year_source_and_tags_as_room_allows(
    make_app: MakeApp, size: tuple[int, int], shown: list[str], hidden: list[str]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        (row,) = [line for line in screen_text(app) if "Links and pictures" in line]
        assert all(part in row for part in shown), row
        assert not any(part in row for part in hidden), row


async def test_the_date_format_is_used_in_the_list_and_the_header(make_app: MakeApp) -> None:
    app = make_app(date_format="%d.%m.%Y")
    async with app.run_test(size=(60, 36)) as pilot:
        await settle(pilot)
        text = "\n".join(screen_text(app))
        assert "08.03 " in text and "03-08" not in text  # a narrow list: no year
        await pilot.resize_terminal(*SIZE)  # a list of 94 columns (no article open)
        await settle(pilot)
        text = "\n".join(screen_text(app))
        assert "08.03.2024" in text and "2024-03-08" not in text
        await pilot.press("enter")
        await settle(pilot)
        assert "Date       08.03.2024" in "\n".join(main_of(app).body.plain)


async def test_the_configured_sort_puts_the_oldest_first(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app(sort="oldest")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        # (the undated note, last when newest come first, follows the dated ones here too)
        assert screen.articles.ids == reader_lib.ids[-2::-1] + reader_lib.ids[-1:]
        assert str(screen.articles.border_title) == f"All · {len(TITLES)} · oldest first"


def test_every_binding_has_an_id_listed_in_the_keys_table_and_readme() -> None:
    ids = binding_ids()
    listed = {binding_id for row in KEYS for binding_id in row.ids}
    assert set(ids) == listed
    readme = (Path(__file__).parents[2] / "docs" / "guide.md").read_text()
    for key, what, row_ids in ((row.keys, row.about, row.ids) for row in KEYS):
        row = f"| `{key}` | {what} | {', '.join(f'`{i}`' for i in row_ids)} |"
        assert row in readme, row


def test_every_binding_is_a_command_of_the_table_declared_once() -> None:
    """Keys, action, label and id come from the one declaration in ui/keys.py: no widget
    writes a Binding of its own (f1 is the app's, kept by the keymap itself)."""
    declared = [command.id for row in KEYS for command in row.commands]
    assert len(declared) == len(set(declared))
    for owner in keymap.bound():
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.id is None:
                assert (owner.__name__, binding.key) == ("ReaderApp", "f1")
                continue
            assert binding == COMMANDS[binding.id].binding(), binding


def test_every_key_the_keys_table_shows_is_bound_by_its_row() -> None:
    """The table's key column (the help, the guide) says what the bindings do: a key
    shown is a key of one of the row's bindings (f1 and ctrl+q: kept by keymap itself)."""
    bound_keys = {binding_id: keys for binding_id, (_, keys) in keymap._bindings().items()}
    shown_as = {"↓": "down", "↑": "up", "pgup": "pageup", "pgdn": "pagedown"}
    for key, row_ids in ((row.keys, row.ids) for row in KEYS):
        if not row_ids:
            continue
        bound = {k for binding_id in row_ids for k in bound_keys[binding_id]}
        for word in re.sub(r"\(.*?\)", " ", key).split():
            if word == "/":
                continue
            name = shown_as.get(word) or key_of(word.lstrip("0123456789") or word)
            assert name in bound or name in keymap.RESERVED, (key, word)


def test_a_pane_s_moves_come_from_one_helper() -> None:
    made = moves("pane", "d", "u", "f", "l", "pd", arrows=False, ends=("top", "bottom"))
    assert [(c.keys, c.action, c.label, c.id) for c in made.values()] == [
        ("j", "d", "Down", "pane.down"),
        ("k", "u", "Up", "pane.up"),
        ("g", "f", "Top", "pane.top"),
        ("G", "l", "Bottom", "pane.bottom"),
        ("pagedown", "pd", "Page down", "pane.page_down"),
    ]
    assert [c.keys for c in moves("p", "a", "b", "c", "d").values()] == [
        "j,down",
        "k,up",
        "g,home",
        "G,end",
    ]


@pytest.mark.parametrize(
    ("date_format", "short"),
    [
        ("%Y-%m-%d", "%m-%d"),
        ("%d.%m.%Y", "%d.%m"),
        ("%m/%d/%y", "%m/%d"),
        ("%Y年%m月%d日", "%m月%d日"),
        ("%b %d, %Y", "%b %d"),
        ("%Y", "%m-%d"),
    ],
)
def test_narrow_lists_show_the_date_format_without_its_year(date_format: str, short: str) -> None:
    assert short_format(date_format) == short


@pytest.mark.parametrize(
    ("value", "date_format", "shown"),
    [
        ("2022-05-20T13:43:49+08:00", "%d.%m.%Y", "20.05.2022 13:43 +0800"),
        ("2022-05-20T13:43:49", "%Y-%m-%d", "2022-05-20 13:43"),
        ("2022-05-20T13:43:49+08:00", "%Y-%m-%d %H:%M", "2022-05-20 13:43"),
        ("2022-05-20", "%A %d %B %Y", "Friday 20 May 2022"),
        ("not a date", "%d.%m.%Y", "not a date"),
        (None, "%d.%m.%Y", ""),
    ],
)
def test_the_header_date_adds_the_time_when_the_format_has_none(
    value: str | None, date_format: str, shown: str
) -> None:
    assert format_date(value, date_format, with_time=True) == shown


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.parametrize("no_color", [True, False])
def test_no_color_turns_the_screen_grey(reader_lib: Fixture, home: Path, no_color: bool) -> None:
    """A real terminal: with NO_COLOR set, every colour the app sends is a grey."""
    import pty

    env = {**os.environ, "NEWSREADER_HOME": str(home), "TERM": "xterm-256color"}
    env |= {"COLORTERM": "truecolor", **({"NO_COLOR": "1"} if no_color else {})}
    for name in ("TEXTUAL", "NO_COLOR") if not no_color else ("TEXTUAL",):
        env.pop(name, None)
    code = "import sys; from reader.cli import main; sys.exit(main(sys.argv[1:]))"
    args = [sys.executable, "-c", code, "--library", str(reader_lib.path)]
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    process = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    output = b""
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and b"Links and pictures" not in output:
            if select.select([leader], [], [], 0.2)[0]:
                try:
                    output += os.read(leader, 65536)
                except OSError:
                    break
        time.sleep(0.5)
        output += _drain(leader)
    finally:
        process.kill()
        process.wait()
        os.close(leader)
    assert b"Links and pictures" in output, output[-2000:]
    colours = re.findall(rb"\x1b\[[0-9;]*?[34]8;2;(\d+);(\d+);(\d+)", output)
    assert colours, "no colours at all: the test would prove nothing"
    coloured = {(r, g, b) for r, g, b in colours if not r == g == b}
    assert (coloured == set()) is no_color


def _drain(fd: int) -> bytes:
    data = b""
    while select.select([fd], [], [], 0.1)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data
