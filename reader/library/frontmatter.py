"""Split YAML (`---`) or TOML (`+++`) front matter from a post's body."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

try:  # the C loader is ~8x faster; both are safe loaders
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """A safe loader that leaves dates as strings: parse.parse_date reads them, and one bad
    date (`2022-13-45`) then costs a warning on its own line, not the whole front matter."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

MAX_FRONT_MATTER = 1_000_000  # bytes of front matter we are willing to parse


@dataclass(frozen=True, slots=True)
class Split:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line number where the body starts
    error: str | None = None  # why the front matter could not be read
    error_line: int | None = None


_OPEN = re.compile(r"\A(?:[ \t]*\n)*(---|\+\+\+)[ \t]*\n")
_TOML_LINE = re.compile(r"line (\d+)")


def split_front_matter(text: str) -> Split:
    """Find front matter at the top of `text` (leading blank lines allowed).

    Text without a closing delimiter has no front matter: a lone `---` is a Markdown rule.
    """
    opening = _OPEN.match(text)
    if not opening:
        return Split({}, text, 1)
    fence = opening.group(1)
    start = opening.end()
    closers = ("---", "...") if fence == "---" else ("+++",)
    pos = start
    while True:
        end = text.find("\n", pos)
        line = text[pos:] if end == -1 else text[pos:end]
        if line.rstrip() in closers:
            break
        if end == -1:
            return Split({}, text, 1)
        pos = end + 1
    raw = text[start:pos]
    body_start = len(text) if end == -1 else end + 1
    first_line = text.count("\n", 0, start) + 1  # line of the first front-matter line
    body_line = text.count("\n", 0, body_start) + 1
    body = text[body_start:]
    if len(raw) > MAX_FRONT_MATTER:
        return Split({}, body, body_line, "front matter is too large to read", first_line)
    if fence == "---":
        return _yaml(raw, body, body_line, first_line)
    return _toml(raw, body, body_line, first_line)


def _yaml(raw: str, body: str, body_line: int, first_line: int) -> Split:
    try:
        meta = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if exc.context_mark and (mark is None or mark.index >= len(raw.rstrip())):
            mark = exc.context_mark  # stopped at the end: point at the unclosed `[` or quote
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        return Split({}, body, body_line, f"bad YAML front matter: {problem}", line)
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as exc:
        return Split({}, body, body_line, f"bad YAML front matter: {exc}", first_line)
    return _checked(meta, body, body_line, first_line, "YAML")


def _toml(raw: str, body: str, body_line: int, first_line: int) -> Split:
    try:
        meta = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = first_line + int(found.group(1)) - 1 if found else first_line
        message = str(exc).split(" (at ")[0]
        return Split({}, body, body_line, f"bad TOML front matter: {message}", line)
    return _checked(meta, body, body_line, first_line, "TOML")


def _checked(meta: Any, body: str, body_line: int, first_line: int, kind: str) -> Split:
    if meta is None:
        return Split({}, body, body_line)
    if not isinstance(meta, dict):
        found = type(meta).__name__
        return Split({}, body, body_line, f"{kind} front matter is a {found}, not keys", first_line)
    return Split({str(k).lower(): v for k, v in meta.items()}, body, body_line)
