"""The key bar under the panes: the keys that work where the focus is, drawn as one line.

Textual's Footer makes a widget for each key and builds them all again whenever the keys
change, which is whenever the focus moves: ~90 ms of every `tab`, `enter` and `esc` here, and
~70 ms of CPU just after the first paint. This is one widget that draws the same line."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.keys import key_to_character
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class Key(NamedTuple):
    key: str  # what a click presses
    label: str  # how the key is shown: `⏎`, `^p`
    description: str
    enabled: bool  # False: shown dimmed, a click rings the bell


class KeyBar(Widget, can_focus=False):
    """A key and its description for each action the focused pane and the screen offer
    (bindings with `show=True`), and the command palette's key on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
        "key-bar--separator",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1;
        color: $footer-foreground; background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground; background: $footer-key-background; text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground; background: $footer-description-background;
    }
    KeyBar > .key-bar--hover { background: $block-hover-background; }
    KeyBar > .key-bar--separator { color: $foreground 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: tuple[list[Key], Key | None] | None = None  # None: read them again
        self._hover: str | None = None  # the key under the mouse pointer
        self._pressed: str | None = None  # the key the left button went down on
        self._line: tuple[tuple[int, str | None], Strip] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.screen is not self.app.screen:
            return  # a dialog is on top: its actions are not this screen's (e.g. `screen.`)
        self._keys = self._line = self._hover = None  # (a key moved from under the pointer)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line = None  # drawn in the old theme's colours

    def keys(self) -> tuple[list[Key], Key | None]:
        """The keys shown, one per action (the first of its keys), in the order their panes
        declare them, and the palette's key. Keys the focused input would type are left out.

        A pane may name more keys to show while it (or a widget in it) has the focus, in
        `BAR_KEYS`: binding ids, shown first (the body's esc and space, say, which do other
        things or nothing elsewhere)."""
        if self._keys is None:
            app, focused, palette = self.app, self.screen.focused, None
            shown: dict[str, tuple[tuple[int, int], Key]] = {}
            nodes = focused.ancestors_with_self if focused else [self.screen, app]
            chain = {node: n for n, node in enumerate(nodes)}
            pane: tuple[str, ...] = next((n.BAR_KEYS for n in nodes if hasattr(n, "BAR_KEYS")), ())
            for key, (node, binding, enabled, _tip) in self.screen.active_bindings.items():
                label = app.get_key_display(binding)
                # (Textual maps no character back to `slash`: its label, `/`, says it)
                ascii_label = label if len(label) == 1 and label.isascii() else None
                character = key_to_character(key) or ascii_label
                if focused is not None and focused.check_consume_key(key, character):
                    continue
                entry = Key(binding.key, label, binding.description, enabled)
                if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                    palette = entry
                elif binding.id in pane and binding.action not in shown:
                    shown[binding.action] = (-1, pane.index(binding.id)), entry
                elif binding.show and binding.action not in shown:
                    # (a key the user rebound comes last in Textual's map: put it back)
                    where = (chain.get(node, len(chain)), _declared(node, binding))
                    shown[binding.action] = where, entry
            self._keys = [entry for _, entry in sorted(shown.values())], palette
        return self._keys

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self._line is not None and self._line[0] == (width, self._hover):
            return self._line[1]
        keys, palette = self.keys()
        right = self._pieces(palette, right=True) if palette else []
        room = width - sum(cell_len(text) for text, _ in right)
        segments: list[Segment] = []
        for entry in keys:
            pieces = self._pieces(entry)
            cells = sum(cell_len(text) for text, _ in pieces)
            if cells > room:
                continue  # keys that do not fit whole are left out, not cut
            segments += (Segment(text, style) for text, style in pieces)
            room -= cells
        if room >= 0:
            segments.append(Segment(" " * room, self.rich_style))
            segments += (Segment(text, style) for text, style in right)
        strip = Strip(segments).crop_extend(0, width, self.rich_style)
        self._line = (width, self._hover), strip
        return strip

    def _pieces(self, entry: Key, right: bool = False) -> list[tuple[str, Style]]:
        """` key ` and `description `, clickable; on the right (the palette's key), after a
        rule: `▏key description`."""
        style = self.get_component_rich_style
        meta = Style(meta={"key": entry.key}, dim=not entry.enabled)
        if entry.key == self._hover and entry.enabled:
            meta += self._hover_style()
        if right:
            key, description = entry.label, f" {entry.description} "
        else:
            key, description = f" {entry.label} ", f"{entry.description} "
        pieces = [("▏", style("key-bar--separator"))] if right else []
        pieces.append((key, style("key-bar--key") + meta))
        if entry.description:
            pieces.append((description, style("key-bar--description") + meta))
        return pieces

    def key_at(self, event: events.MouseEvent) -> str | None:
        return event.style.meta.get("key")

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self.key_at(event))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, key: str | None) -> None:
        if key != self._hover:
            self._hover = key
            self.refresh()

    def _hover_style(self) -> Style:
        """The theme's hover tint is translucent, and a Rich colour has no alpha: blend it
        over the bar's background here, or the key would sit on the raw tint colour."""
        tint = self.get_component_styles("key-bar--hover").background
        return Style(bgcolor=(self.background_colors[1] + tint).rich_color)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._pressed = self.key_at(event) if event.button == 1 else None

    def on_click(self, event: events.Click) -> None:
        """A click (left button, pressed and released on the same key) presses the key."""
        key, pressed, self._pressed = self.key_at(event), self._pressed, None
        if key is None or event.button != 1 or key != pressed:
            return
        keys, palette = self.keys()
        entry = next((e for e in [*keys, palette] if e and e.key == key), None)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()


def _declared(node: object, binding: Binding) -> int:
    """Where the binding comes in its pane's BINDINGS (by id); others after those."""
    for index, declared in enumerate(getattr(type(node), "BINDINGS", ())):
        if isinstance(declared, Binding) and declared.id and declared.id == binding.id:
            return index
    return 10_000
