"""Opening a link in a browser and copying it to the system clipboard: commands run with an
argument list (never a shell), the URL as one argument, and every failure told in a line.

No Textual here: the screen runs these in a worker and reports what they return."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile

WAIT = 5.0  # seconds a browser command may take to fail; still running after that: started
TERMINAL_BROWSERS = {"www-browser", "links", "links2", "elinks", "lynx", "w3m"}


def browser_argv(command: str, url: str) -> list[str]:
    """`firefox %u` -> ['firefox', URL]: split once, shell-style; `%u` is replaced by the URL
    (as part of its word: one argument), or the URL is added at the end."""
    words = shlex.split(command)
    if any("%u" in word for word in words):
        return [word.replace("%u", url) for word in words]
    return [*words, url]


def notify_argv(command: str, new: int, feeds: list[str]) -> list[str]:
    """`notify-send newsreader %n` -> ['notify-send', 'newsreader', '12']: split once,
    shell-style; `%n` is the number of new articles, `%f` the feeds that brought them
    (comma-separated), each inside the word it stands in (one argument)."""
    named = ", ".join(feeds)
    return [word.replace("%n", str(new)).replace("%f", named) for word in shlex.split(command)]


def run_notify(command: str, new: int, feeds: list[str]) -> str | None:
    """Run the `notify` command (no shell, nothing on the terminal); None when it worked,
    else what went wrong."""
    return _run(notify_argv(command, new, feeds), stays=False)


def _run(argv: list[str], stdin: bytes | None = None, stays: bool = True) -> str | None:
    """Run `argv` without a shell; None if it worked, else what went wrong. A command that
    `stays` (a browser) has worked when it has not failed within WAIT seconds. Its output
    goes nowhere near the terminal."""
    name = os.path.basename(argv[0])
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,  # not stopped by the terminal's ctrl+c or hang-up
            )
        except FileNotFoundError:
            return f"{name} was not found"
        except OSError as exc:
            return f"{name} could not be run ({exc.strerror or exc})"
        try:
            if stdin is not None and process.stdin is not None:
                with process.stdin:
                    process.stdin.write(stdin)
            code = process.wait(WAIT)
        except subprocess.TimeoutExpired:
            return None if stays else f"{name} did not finish"
        except OSError as exc:
            return f"{name} failed ({exc.strerror or exc})"
        if code == 0:
            return None
        errors.seek(0)
        said = [line for line in errors.read().decode(errors="replace").splitlines() if line]
        last = " ".join(said[-1].split())[:120] if said else ""
        return f"{name} exited with status {code}" + (f": {last}" if last else "")


def run_quietly(argv: list[str], stdin: bytes | None = None) -> str | None:
    """Run a command to its end with `stdin`, no shell, its output nowhere near the
    terminal; None when it worked, else what went wrong."""
    return _run(argv, stdin, stays=False)


def run_in_terminal(argv: list[str], stdin: bytes | None = None) -> str | None:
    """Run a program that may take the terminal over (less, w3m) in the foreground, no
    shell, `stdin` on its input (the app is suspended around it); None when it worked."""
    name = os.path.basename(argv[0])
    try:
        done = subprocess.run(argv, input=stdin, check=False)
    except FileNotFoundError:
        return f"{name} was not found"
    except OSError as exc:
        return f"{name} could not be run ({exc.strerror or exc})"
    return None if done.returncode == 0 else f"{name} exited with status {done.returncode}"


def in_terminal(argv: list[str]) -> bool:
    """The program is a text browser, which draws in the terminal it is started from."""
    return os.path.basename(argv[0]) in TERMINAL_BROWSERS


def open_in_browser(url: str, command: str | None) -> str | None:
    """Open `url` with the `browser` command, else Python's webbrowser; None when done,
    else why not (in words the reader can act on)."""
    if command:
        return _run(browser_argv(command, url))
    if not has_display() and not os.environ.get("BROWSER"):
        # webbrowser would fall back to a text browser (lynx, w3m) drawing over the reader
        return "no graphical display here (over SSH?)"
    import webbrowser  # (not at start-up)

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "no browser was found"
    if os.path.basename(getattr(browser, "name", "")) in TERMINAL_BROWSERS:
        return "only a text browser was found"
    if not webbrowser.open(url):
        return "the system's browser did not start"
    return None


def has_display() -> bool:
    """A graphical session to open a browser in: macOS, Windows, or X11 / Wayland."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def clipboard_tool() -> list[str] | None:
    """The system clipboard's command for this session, if one is installed."""
    if sys.platform == "darwin":
        candidates = [["pbcopy"]]
    elif os.environ.get("WAYLAND_DISPLAY"):
        candidates = [["wl-copy"]]
    elif os.environ.get("DISPLAY"):
        candidates = [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    else:
        return None
    for argv in candidates:
        found = shutil.which(argv[0])
        if found:
            return [found, *argv[1:]]
    return None


def copy_with(argv: list[str], text: str) -> str | None:
    """Hand `text` to a clipboard command on its stdin; None when done, else what failed."""
    return _run(argv, text.encode(), stays=False)
