"""The settings file's `keys:` made safe before Textual sees it.

Textual lets a keymap give one key to several bindings (the first in its own order wins,
silently) and lets it take every key of quit, help and back. Here each key does one thing
in each place (the first binding in the file that asks for it gets it), every key a binding
loses is reported, one line per loser and winner, and three keys are kept whatever the
file says: ctrl+q quits (Textual's own), f1 opens the help, escape goes back (or closes
and cancels in the help and the dialogs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from textual.binding import Binding
from textual.dom import DOMNode

from reader.ui.key_names import key_name, key_of

# The bindings that go back where they are (in the dialogs: close, cancel, no).
BACK = frozenset({"back", "help.close", "tags.cancel", "prompt.cancel", "confirm.no"})
# A key kept for some bindings -> (those bindings, why, as the warning says it).
RESERVED: dict[str, tuple[frozenset[str], str]] = {
    "ctrl+q": (frozenset({"quit"}), "ctrl+q always quits"),
    "f1": (frozenset({"help"}), "f1 always opens the help"),
    "escape": (BACK, "escape always goes back (or closes)"),
}
LAST_RESORT = {"quit": "ctrl+q", "help": "f1", **dict.fromkeys(BACK, "escape")}
# What quit, help and back do, for a warning that a pane's key hides theirs.
DOES = {"quit": "quit", "help": "open the help", "back": "go back"}
PANES = {"ArticleList": "the article list", "ArticleView": "the article", "Sidebar": "the sidebar"}


def bound() -> tuple[type[DOMNode], ...]:
    """Every class with BINDINGS: their ids are what the config's `keys` can rebind. (The
    dialogs and the help screen are imported on first use, not at start.)"""
    from reader.ui.screens.dialogs import Confirm, LinkPicker, Prompt
    from reader.ui.screens.help import HelpScreen
    from reader.ui.screens.main import MainScreen
    from reader.ui.screens.tag_editor import TagEditor
    from reader.ui.widgets import ArticleList, ArticleView, Sidebar
    from reader.ui.widgets.search_bar import FindBar

    return (
        MainScreen, ArticleList, ArticleView, Sidebar, FindBar,
        HelpScreen, TagEditor, Prompt, Confirm, LinkPicker,
    )  # fmt: skip


def _bindings() -> dict[str, tuple[type[DOMNode], list[str]]]:
    """Binding id -> (the class it belongs to, its default keys)."""
    return {
        binding.id: (owner, binding.key.split(","))
        for owner in bound()
        for binding in owner.BINDINGS
        if isinstance(binding, Binding) and binding.id
    }


def binding_ids() -> dict[str, str]:
    """Binding id -> its default keys, for every binding in the app."""
    return {binding_id: ",".join(keys) for binding_id, (_, keys) in _bindings().items()}


def _keys(text: str) -> list[str]:
    """`j, ?,esc` -> ['j', 'question_mark', 'escape'], each once."""
    keys = (key_of(key) for key in text.split(","))
    return list(dict.fromkeys(key for key in keys if key))


def _shown(keys: list[str]) -> tuple[str, bool]:
    """`a, b, ? and 3 more`, and whether that is more than one key."""
    names = [key_name(key) for key in keys]
    text = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return text, len(names) > 1


@dataclass
class Keymap:
    """What `set_keymap` gets, each binding's keys in effect, and a line per conflict."""

    keys: dict[str, str] = field(default_factory=dict)
    effective: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def resolve(wanted: Mapping[str, str]) -> Keymap:
    """The user's `keys` (binding id -> keys; unknown ids are skipped), made safe."""
    bindings = _bindings()
    taken: dict[tuple[type[DOMNode], str], str] = {}  # (place, key) -> the binding with it
    kept: dict[str, list[str]] = {}
    refused: dict[tuple[str, str], list[str]] = {}  # (loser, winner or a reason) -> keys
    for binding_id, text in wanted.items():
        if binding_id not in bindings:
            continue
        place = bindings[binding_id][0]
        mine: list[str] = []
        for key in _keys(text):
            allowed, reason = RESERVED.get(key, (None, ""))
            owner = taken.get((place, key), binding_id)
            if allowed is not None and binding_id not in allowed:
                refused.setdefault((binding_id, reason), []).append(key)
            elif owner != binding_id:
                refused.setdefault((binding_id, owner), []).append(key)
            else:
                mine.append(key)
                taken[place, key] = binding_id
        if binding_id in BACK and "escape" not in mine:
            mine.append("escape")
            taken[place, "escape"] = binding_id
        if mine:
            kept[binding_id] = mine
    # Bindings not rebound (or refused every key they asked for) keep their own keys,
    # less those a rebound binding of their place took.
    lost: dict[tuple[str, str], list[str]] = {}
    effective = dict(kept)
    for binding_id, (place, defaults) in bindings.items():
        if binding_id in kept:
            continue
        effective[binding_id] = []
        for key in defaults:
            if (winner := taken.get((place, key))) is not None:
                lost.setdefault((binding_id, winner), []).append(key)
            else:
                effective[binding_id].append(key)
    keymap = Keymap({key: ",".join(keys) for key, keys in kept.items()}, effective)
    keymap.problems += _refusals(refused, effective, wanted)
    keymap.problems += _losses(lost, effective)
    keymap.problems += _hidden(bindings, effective)
    return keymap


def _left(binding_id: str, effective: Mapping[str, list[str]]) -> str:
    if effective[binding_id]:
        return ""
    last = LAST_RESORT.get(binding_id)
    return f" (and has no key left but {last})" if last else " (and has no key left)"


def _refusals(
    refused: Mapping[tuple[str, str], list[str]],
    effective: Mapping[str, list[str]],
    wanted: Mapping[str, str],
) -> Iterable[str]:
    for (loser, winner), keys in refused.items():
        left = _left(loser, effective)
        if not left and not set(_keys(wanted[loser])) & set(effective[loser]):
            left = f"; {loser} keeps {_shown(effective[loser])[0]}"  # its own keys
        if winner not in effective:  # a reason: the key is kept for quit, help or back
            yield f"keys: {winner}, so {loser} cannot have it{left}"
            continue
        shown, several = _shown(keys)
        whose, it = ("keys", "them") if several else ("key", "it")
        yield (
            f"keys: {shown} {'are' if several else 'is'} already {winner}'s {whose} "
            f"(earlier in the file), so {loser} cannot have {it}{left}"
        )


def _losses(
    lost: Mapping[tuple[str, str], list[str]], effective: Mapping[str, list[str]]
) -> Iterable[str]:
    for (loser, winner), keys in lost.items():
        shown, several = _shown(keys)
        verb, whose, it = ("are", "keys", "them") if several else ("is", "key", "it")
        yield f"keys: {shown} {verb} now {winner}'s {whose}, so {loser} has lost {it}" + _left(
            loser, effective
        )


def _hidden(
    bindings: Mapping[str, tuple[type[DOMNode], list[str]]], effective: Mapping[str, list[str]]
) -> Iterable[str]:
    """Quit, help and back are the main screen's; a key the pane in use binds comes first."""
    for binding_id, does in DOES.items():
        for other, (place, _) in bindings.items():
            common = [key for key in effective[binding_id] if key in effective[other]]
            if place.__name__ in PANES and common:
                shown, several = _shown(common)
                verb, whose = ("are", "keys") if several else ("is", "key")
                yield (
                    f"keys: {shown} {verb} also {other}'s {whose}, which comes first in "
                    f"{PANES[place.__name__]}: there {shown} {'do' if several else 'does'} "
                    f"not {does} ({LAST_RESORT[binding_id]} does)"
                )
