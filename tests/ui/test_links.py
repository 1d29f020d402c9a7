"""`o` and `y` with real commands: a `browser` setting run without a shell, its failures told;
the system clipboard's command found on PATH. The commands are small scripts in tmp_path."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.ui import links
from reader.ui.app import ReaderApp

from .helpers import library_of, notes, settle, tool

MakeApp = Callable[..., ReaderApp]
SIZE = (120, 30)
URL = "https://example.com/post"  # the second article's own link


def test_the_browser_command_gets_the_url_as_one_argument() -> None:
    url = "https://x.example/?a=1&b=$(touch pwned) ;x"
    assert links.browser_argv("firefox %u", url) == ["firefox", url]
    assert links.browser_argv("firefox --new-tab", url) == ["firefox", "--new-tab", url]
    assert links.browser_argv("'my browser' --url=%u", url) == ["my browser", f"--url={url}"]


async def test_o_runs_the_browser_command(make_app: MakeApp, bin_dir: Path) -> None:
    record = bin_dir / "argv.txt"
    tool(bin_dir, "fakebrowser", f"pathlib.Path({str(record)!r}).write_text(repr(sys.argv[1:]))")
    app = make_app(browser="fakebrowser --new-window %u")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "o")
        await settle(pilot)
        assert record.read_text() == repr(["--new-window", URL])
        assert f"Opening {URL}" in notes(app)
        assert not any(n.startswith("No browser") for n in notes(app))


async def test_a_failing_browser_command_is_reported(make_app: MakeApp, bin_dir: Path) -> None:
    tool(bin_dir, "badbrowser", "print('cannot open display', file=sys.stderr); sys.exit(3)")
    app = make_app(browser="badbrowser")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "o")
        await settle(pilot)
        assert (
            "No browser could be started: badbrowser exited with status 3: cannot open display. "
            "Press y to copy the link."
        ) in notes(app)
    app = make_app(browser="nosuchbrowser %u")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "o")
        await settle(pilot)
        assert (
            "No browser could be started: nosuchbrowser was not found. Press y to copy the link."
        ) in notes(app)


async def test_without_a_display_no_browser_is_tried(
    make_app: MakeApp, bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: called.append(url) or True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "o")
        await settle(pilot)
        assert called == []  # (a text browser would draw over the reader)
        assert (
            "No browser could be started: no graphical display here (over SSH?). "
            "Press y to copy the link."
        ) in notes(app)


async def test_a_browser_that_does_not_start_is_reported(
    make_app: MakeApp, bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "get", lambda *a: webbrowser.BackgroundBrowser("xdg-open"))
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "2", "o")  # link [2]: the hint says 2y
        await settle(pilot)
        assert (
            "No browser could be started: the system's browser did not start. "
            "Press 2y to copy the link."
        ) in notes(app)


@pytest.mark.parametrize(
    ("env", "name"),
    [({"DISPLAY": ":0"}, "xclip"), ({"WAYLAND_DISPLAY": "wayland-0"}, "wl-copy")],
)
async def test_y_copies_with_the_system_clipboard_too(
    make_app: MakeApp,
    bin_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    name: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    record = bin_dir / "clip.txt"
    tool(bin_dir, name, f"pathlib.Path({str(record)!r}).write_bytes(sys.stdin.buffer.read())")
    app = make_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "y")
        await settle(pilot)
        assert copied == [URL]  # OSC 52
        assert record.read_text() == URL
        assert f"Copied {URL} (terminal clipboard and {name})" in notes(app)


async def test_a_failing_clipboard_command_is_reported(
    make_app: MakeApp, bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    tool(bin_dir, "xsel", "sys.exit(1)")  # (no xclip: xsel is the one found)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "y")
        await settle(pilot)
        assert f"Copied {URL} to the terminal clipboard only: xsel exited with status 1" in notes(
            app
        )


async def test_capital_l_lists_the_links_to_open_or_copy_one(
    make_app: MakeApp, bin_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from reader.ui.screens.dialogs import LinkPicker

    text = (
        "---\ntitle: Linked\n---\nSee [one](https://a.example/1) and [two](https://b.example/2).\n"
    )
    path = library_of(tmp_path / "linked", {"linked.md": text})  # (tmp_path/posts: make_app's)
    record = bin_dir / "argv.txt"
    tool(bin_dir, "fakebrowser", f"pathlib.Path({str(record)!r}).write_text(repr(sys.argv[1:]))")
    app = make_app(path, browser="fakebrowser %u")
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)
        listed = ["https://a.example/1", "https://b.example/2"]
        assert app.screen.links == [("[1]", listed[0]), ("[2]", listed[1])]
        await pilot.press("enter")
        await settle(pilot)
        assert record.read_text() == repr([listed[0]])
        await pilot.press("L", "down", "y")
        await settle(pilot)
        assert copied == [listed[1]]
        await pilot.press("L", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, LinkPicker) and copied == [listed[1]]
