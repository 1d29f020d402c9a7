"""The user's settings: one YAML file in the config directory, every key optional.

A bad value is reported, naming the key and its line, and the default is used instead.
The app writes back only the keys it changes (theme, reading width, the panes), line by
line, so the user's comments, order and other keys stay as they were.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader import paths
from reader.config_checks import (
    ImageSetting,
    _browser,
    _command,
    _folder,
    _ignore,
    _images,
    _macros,
    _megabytes,
    _pipe,
    _shown,
    _text,
    good_rules,
)
from reader.library import views
from reader.library.fold import SCRIPTS
from reader.library.ignore import Rule

if TYPE_CHECKING:
    import yaml

FILE_NAME = "config.yaml"
SORTS = ("newest", "oldest", "title")  # title: natural order (issue 2 before issue 10)
SECTIONS = tuple(views.SECTIONS)  # sidebar sections, in their order
SHOWN = tuple(name for name, kind in views.SECTIONS.items() if kind.shown)  # by default
WIDTHS = range(30, 301)
LIST_WIDTHS = range(20, 201)  # the list's columns beside an open article
HEADER = "# newsreader settings: see docs/reference.md, Configuration.\n"


def safe_yaml() -> tuple[Any, type]:
    """PyYAML and its fastest safe loader, imported on first use: the app starts sooner
    without it when there is no settings file."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(Exception):
    """The settings file cannot be read or written back."""


@dataclass(frozen=True)
class Config:
    theme: str | None = None
    reading_width: int = 90
    date_format: str = "%Y-%m-%d"
    sort: str = "newest"
    mark_read_on_open: bool = True
    group_stories: bool = True  # the list shows a story's copies as one row (stories.py)
    mark_story_read: bool = True  # reading one article of a story marks its copies read
    sidebar: tuple[str, ...] = SHOWN
    library: str | None = None
    feed_keep: int | None = None  # entries kept per feed (bookmarked and tagged ones always)
    feed_keep_days: int | None = None  # ... or days
    keys: Mapping[str, str] = field(default_factory=dict)
    browser: str | None = None  # a command to open links with, `%u` for the URL (no shell)
    list_width: int | None = None  # the list's columns beside an article; None: what is left
    show_sidebar: bool = True  # False: hidden (the `s` key)
    sync_every: str | None = None  # `15m`: the app syncs its accounts at start and so often
    refresh_every: str | None = None  # `30m`: the app refreshes feeds (and syncs) so often
    refresh_on_start: bool = False  # the app refreshes feeds (and syncs) as it starts
    notify: str | None = None  # a command run after a refresh that brought articles (%n, %f)
    script: str = "as-written"  # simplified, traditional, taiwan, hongkong: titles and bodies
    ignore: tuple[Rule, ...] = ()  # rules that hide or mark read what they match (ignore.py)
    pipe_to: str | None = None  # `|` pipes the open article to this command (no shell)
    pipe_markdown: bool = False  # `|` pipes the article's Markdown, not its text as laid out
    save_to: str | None = None  # the folder `w` saves articles to (as Markdown)
    macros: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # `,r`: command ids
    images: ImageSetting = True  # pictures where the terminal shows them; False; "fetch"
    image_cache_mb: int = 200  # fetched pictures kept in the data folder, at most

    def as_dict(self) -> dict[str, Any]:
        """The settings as the file spells them."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {
            **values,
            "sidebar": list(self.sidebar),
            "keys": dict(self.keys),
            "ignore": [{k: v for k, v in asdict(r).items() if v is not None} for r in self.ignore],
            "macros": {key: list(steps) for key, steps in self.macros.items()},
        }


def config_path() -> Path:
    """$NEWSREADER_CONFIG, else config.yaml in the user's config directory."""
    chosen = os.environ.get("NEWSREADER_CONFIG")
    return Path(chosen).expanduser() if chosen else paths.config_dir() / FILE_NAME


def load(path: Path | None = None) -> tuple[Config, list[str]]:
    """The settings in `path` and a message per problem; a missing file means defaults."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Config(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Config(), [f"{path}: cannot be read ({exc}); using the default settings"]
    return parse(text, str(path))


def parse(text: str, name: str = FILE_NAME) -> tuple[Config, list[str]]:
    yaml, loader = safe_yaml()
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
        lines = _key_lines(yaml.compose(text, Loader=loader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        return Config(), [f"{name}{where}: {problem}; using the default settings"]
    if data is None:
        return Config(), []
    if not isinstance(data, dict):
        kind = type(data).__name__
        return Config(), [f"{name}: expected `setting: value` lines, not a {kind}; using defaults"]
    values: dict[str, Any] = {}
    problems: list[str] = []
    defaults = Config()
    for key, value in data.items():
        if not isinstance(key, str):
            problems.append(f"{name}: a setting's name is a word, not {_shown(key)}; ignored")
            continue
        where = f"{name}, line {lines.get(key, '?')}"
        check = CHECKS.get(key)
        if check is None:
            known = ", ".join(CHECKS)
            problems.append(f"{where}: unknown setting {_shown(key)} (known: {known}); ignored")
            continue
        if key == "ignore" and isinstance(value, list):  # each rule on its own
            values["ignore"], bad = good_rules(value, lambda n: f"{name}, line {lines.get(n, '?')}")
            problems += bad
            continue
        if key == "keys" and isinstance(value, dict):  # each binding on its own
            values["keys"] = {}
            for binding_id, keys in value.items():
                scalar = isinstance(binding_id, str | int | float | bool)
                line = lines.get(f"keys.{binding_id}", "?") if scalar else "?"
                try:
                    if not isinstance(binding_id, str):
                        raise ValueError(f"is not a binding id: {_shown(binding_id)}")
                    values["keys"][binding_id] = _key(keys)
                except ValueError as exc:
                    shown = binding_id if isinstance(binding_id, str) else "an entry"
                    problems.append(f"{name}, line {line}: keys: {shown} {exc}; ignored")
            continue
        try:
            values[key] = check(value)
        except ValueError as exc:
            default = getattr(defaults, key)
            usual = list(default) if isinstance(default, tuple) else default
            problems.append(f"{where}: {key} {exc}; using the default, {_shown(usual)}")
    return Config(**values), problems


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Line numbers of the top-level keys, and of `keys.ID` entries."""
    yaml, _ = safe_yaml()
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        lines[str(key.value)] = key.start_mark.line + 1
        if key.value == "keys" and isinstance(value, yaml.MappingNode):
            for sub, _ in value.value:
                lines[f"keys.{sub.value}"] = sub.start_mark.line + 1
        if key.value == "ignore" and isinstance(value, yaml.SequenceNode):
            for number, item in enumerate(value.value, 1):
                lines[f"ignore.{number}"] = item.start_mark.line + 1
    return lines


def _width(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in WIDTHS:
        raise ValueError(
            f"must be a whole number from {WIDTHS[0]} to {WIDTHS[-1]}, not {_shown(value)}"
        )
    return value


def _list_width(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in LIST_WIDTHS:
        raise ValueError(
            f"must be a whole number from {LIST_WIDTHS[0]} to {LIST_WIDTHS[-1]} (or null), "
            f"not {_shown(value)}"
        )
    return value


def _date_format(value: object) -> str:
    text = _text(value)
    sample = datetime(2026, 12, 31, 23, 59).strftime(text)
    if "%" not in text or not sample or len(sample) > 30:
        raise ValueError(f"must be a short strftime format such as '%d.%m.%Y', not {_shown(value)}")
    return text


def _choice(choices: Iterable[str]) -> Callable[[object], str]:
    options = tuple(choices)

    def check(value: object) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}, not {_shown(value)}")
        return str(value)

    return check


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_shown(value)}")
    return value


def _sections(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or any(item not in SECTIONS for item in value):
        raise ValueError(f"must be a list of some of {', '.join(SECTIONS)}, not {_shown(value)}")
    return tuple(dict.fromkeys(value))


def _count(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"must be a whole number of at least 1 (or null), not {_shown(value)}")
    return value


def every(text: str) -> int:
    """Seconds in a time such as `15m`, `2h`, `90s` or `1h30m` (a bare number: minutes)."""
    import re

    spelled = text.strip().lower().replace(" ", "")
    if spelled.isdigit():
        spelled += "m"
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m(?:in)?)?(?:(\d+)s)?", spelled)
    if not spelled or parts is None:
        raise ValueError(f"must be a time such as 15m, 2h or 90s, not {_shown(text)}")
    hours, minutes, seconds = (int(p or 0) for p in parts.groups())
    return hours * 3600 + minutes * 60 + seconds


def _every(value: object) -> str | None:
    if value is None:
        return None
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or every(text) < 60:
        raise ValueError(f"must be a time of a minute or more, such as 15m, not {_shown(value)}")
    return text.strip()


def _library(value: object) -> str:
    return str(Path(_text(value)).expanduser())


def _keys(value: object) -> dict[str, str]:
    """Binding id -> keys; entries are checked one by one in `parse`."""
    if value is not None:
        raise ValueError(f"must map binding ids to keys, e.g. `next: ctrl+n`, not {_shown(value)}")
    return {}


def _key(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or " " in value.strip():
        raise ValueError(f"must be keys like 'ctrl+n' or 'j,down', not {_shown(value)}")
    return value.strip()


CHECKS: dict[str, Callable[[object], Any]] = {
    "theme": _text,
    "reading_width": _width,
    "date_format": _date_format,
    "sort": _choice(SORTS),
    "mark_read_on_open": _flag,
    "group_stories": _flag,
    "mark_story_read": _flag,
    "sidebar": _sections,
    "library": _library,
    "feed_keep": _count,
    "feed_keep_days": _count,
    "keys": _keys,
    "browser": _browser,
    "list_width": _list_width,
    "show_sidebar": _flag,
    "sync_every": _every,
    "refresh_every": _every,
    "refresh_on_start": _flag,
    "notify": _command,
    "script": _choice(tuple(SCRIPTS)),
    "ignore": _ignore,
    "pipe_to": _pipe,
    "pipe_markdown": _flag,
    "save_to": _folder,
    "macros": _macros,
    "images": _images,
    "image_cache_mb": _megabytes,
}


def unknown_keys(config: Config, binding_ids: Iterable[str], name: str = FILE_NAME) -> list[str]:
    """A message per `keys` entry that names no binding (those entries do nothing)."""
    known = set(binding_ids)
    return [
        f"{name}: keys: no binding has the id {_shown(binding_id)}; ids: docs/guide.md, Keys"
        for binding_id in config.keys
        if binding_id not in known
    ]


def dump(config: Config) -> str:
    """The effective settings as YAML, as `newsreader config show` prints them."""
    yaml, _ = safe_yaml()
    return str(yaml.safe_dump(config.as_dict(), allow_unicode=True, sort_keys=False))


def save(changes: Mapping[str, object], path: Path | None = None) -> Path:
    """Write `changes` (top-level settings) into the file, touching only their lines.

    The result is checked by reading it back; a file that is not a YAML mapping, or a
    change that could not be made in place, raises ConfigError and leaves the file alone.
    """
    yaml, loader = safe_yaml()
    path = path or config_path()
    if path.is_symlink():  # a dotfiles manager's link: write where it points
        path = path.resolve()
    try:
        old = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        old = HEADER
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from exc
    try:
        before = yaml.load(old, Loader=loader) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML, so it is left alone") from exc
    if not isinstance(before, dict):
        raise ConfigError(f"{path}: not a mapping of settings, so it is left alone")
    text = old
    for key, value in changes.items():
        text = _set_line(text, key, value)
    if yaml.load(text, Loader=loader) != {**before, **changes}:  # noqa: S506
        raise ConfigError(f"{path}: could not update {', '.join(changes)} in place")
    _write_atomically(path, text)
    return path


def _set_line(text: str, key: str, value: object) -> str:
    yaml, _ = safe_yaml()
    rendered = yaml.safe_dump(value, allow_unicode=True, width=1000).removesuffix("\n...\n")
    pattern = re.compile(rf"^{re.escape(key)}[ \t]*:[^\n#]*?(?P<rest>[ \t]+#[^\n]*)?$", re.M)
    match = pattern.search(text) or re.search(rf"^{re.escape(key)}[ \t]*:[^\n]*$", text, re.M)
    if match is None:
        return text + ("" if text.endswith("\n") or not text else "\n") + f"{key}: {rendered}\n"
    rest = match.groupdict().get("rest") or ""  # (the second pattern: a '#' inside a value)
    line = f"{key}: {rendered.strip()}{rest}"
    return text[: match.start()] + line + text[match.end() :]


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
