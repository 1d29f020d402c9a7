"""A `keys:` setting that binds every letter to every action: each conflict is reported,
one line each, and ctrl+q still quits, f1 still opens the help, escape still goes back."""

from __future__ import annotations

import string
from collections.abc import Callable

from reader.ui.app import ReaderApp, binding_ids
from reader.ui.keymap import BACK, bound, resolve
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets import ArticleList, ArticleView

from .helpers import main_of, notes, settle

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]
EVERYTHING = ",".join([*string.ascii_letters, "?", "esc", "q"])


def every_key_to_every_action() -> dict[str, str]:
    """Last binding first, so quit, help and back are never the first of their place."""
    return {binding_id: EVERYTHING for binding_id in reversed(binding_ids())}


def first_of_each_place(keys: dict[str, str]) -> set[str]:
    """The binding of each class that comes first in `keys`: it gets every letter."""
    places = {b.id: owner for owner in bound() for b in owner.BINDINGS if getattr(b, "id", None)}
    firsts: dict[type, str] = {}
    for binding_id in keys:
        firsts.setdefault(places[binding_id], binding_id)
    return set(firsts.values())


def test_every_conflict_of_an_everything_keymap_has_its_own_line() -> None:
    keys = every_key_to_every_action()
    problems = resolve(keys).problems
    assert len(problems) == len(set(problems))  # one line per conflict, none twice
    firsts = first_of_each_place(keys)
    for binding_id in keys:
        lost_letters = f"(earlier in the file), so {binding_id} cannot have them"
        lines = [line for line in problems if lost_letters in line]
        if binding_id in firsts:  # it got every letter and ? of its place
            assert lines == [], binding_id
        else:  # it lost them to the first of its place
            assert len(lines) == 1, binding_id
            assert lines[0].startswith("keys: a, b, c, d, e and 48 more are already "), lines
        escape = f"keys: escape always goes back (or closes), so {binding_id} cannot have it"
        refused = [line for line in problems if line.startswith(escape)]
        assert len(refused) == (binding_id not in BACK), binding_id
    # Quit and help lost every key but the ones kept for them, and their lines say so.
    assert [line for line in problems if "but ctrl+q" in line or "but f1" in line] == [
        "keys: a, b, c, d, e and 48 more are already refresh's keys (earlier in the file), "
        "so help cannot have them (and has no key left but f1)",
        "keys: escape always goes back (or closes), so help cannot have it "
        "(and has no key left but f1)",
        "keys: a, b, c, d, e and 48 more are already refresh's keys (earlier in the file), "
        "so quit cannot have them (and has no key left but ctrl+q)",
        "keys: escape always goes back (or closes), so quit cannot have it "
        "(and has no key left but ctrl+q)",
        "keys: q is now refresh's key, so quit has lost it (and has no key left but ctrl+q)",
        "keys: ? is now refresh's key, so help has lost it (and has no key left but f1)",
    ]


def test_an_everything_keymap_gives_each_key_once_a_place_and_back_keeps_escape() -> None:
    resolved = resolve(every_key_to_every_action())
    for place in bound():
        ids = [b.id for b in place.BINDINGS if getattr(b, "id", None)]
        given = [key for i in ids if i in resolved.keys for key in resolved.keys[i].split(",")]
        assert len(given) == len(set(given)), place
    assert resolved.keys["back"] == "escape"
    assert resolved.keys["help.close"] == "escape"
    assert "quit" not in resolved.keys and "help" not in resolved.keys
    assert resolved.effective["quit"] == resolved.effective["help"] == []


async def test_with_everything_bound_ctrl_q_f1_and_escape_still_work(
    make_app: MakeApp,
) -> None:
    app = make_app(keys=every_key_to_every_action())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = notes(app)
        assert len(app.problems) > 60  # every binding but the first of its place, and more
        assert shown[:5] == app.problems[:5]
        more = len(app.problems) - 5
        assert shown[5] == (
            f"… and {more} more problems with the settings: the end of the help (f1) lists them all"
        )
        assert len(shown) == 6
        # f1 opens the help, which lists every problem; escape closes it.
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = app.screen.query_one("#settings-problems").render()
        assert str(listed).splitlines() == app.problems
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        # enter (nobody else took it) opens an article; escape goes back to the list.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, ArticleView)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, ArticleList)
        # q is list.mark_all's now (first in the file), so it marks; ctrl+q quits.
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert main_of(app).articles.marked
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_a_key_taken_from_quit_is_said_and_ctrl_q_still_quits(make_app: MakeApp) -> None:
    app = make_app(keys={"bookmark": "q", "back": "x", "list.down": "escape,j"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert notes(app) == [
            "keys: escape always goes back (or closes), so list.down cannot have it",
            "keys: q is now bookmark's key, so quit has lost it (and has no key left but ctrl+q)",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, ArticleView)
        await pilot.press("escape")  # back moved to x, and kept escape
        await pilot.pause()
        assert isinstance(app.focused, ArticleList)
        await pilot.press("q")  # bookmarks
        await settle(pilot)
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


def test_keys_kept_for_quit_help_and_back_are_refused_and_said() -> None:
    assert resolve({"list.up": "?,j"}).problems == [
        "keys: j is now list.up's key, so list.down has lost it",
        "keys: ? is also list.up's key, which comes first in the article list: there ? does "
        "not open the help (f1 does)",
    ]
    assert resolve({"quit": "a", "help": "a"}).problems == [
        "keys: a is already quit's key (earlier in the file), so help cannot have it; help keeps ?"
    ]
    resolved = resolve({"next": "f1", "quit": "ctrl+q,x", "read": "ctrl+q"})
    assert resolved.problems == [
        "keys: f1 always opens the help, so next cannot have it; next keeps n",
        "keys: ctrl+q always quits, so read cannot have it; read keeps r",
    ]
    assert resolved.keys == {"quit": "ctrl+q,x"}
    assert resolve({"read": "b", "bookmark": "r"}).problems == []  # a swap loses nothing
