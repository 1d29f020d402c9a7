"""Split YAML (`---`) or TOML (`+++`) front matter from a post's body.

A block that YAML or TOML refuses still gives the fields a post needs (title, date, terms,
links, flags) from the `key: value` lines that read on their own: scraped archives carry
titles with unescaped quotes, and one such line must not cost every field."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

from reader.library.views import KINDS

try:  # the C loader is ~8x faster; both are safe loaders
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]  # (PyYAML's loaders: two, chosen at import)
    """A safe loader that leaves dates as strings: dates.parse_date reads them, and one bad
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
        return _recovered(raw, "YAML", body, body_line, f"bad YAML front matter: {problem}", line)
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as exc:
        error = f"bad YAML front matter: {exc}"
        return _recovered(raw, "YAML", body, body_line, error, first_line)
    return _checked(meta, body, body_line, first_line, "YAML")


def _toml(raw: str, body: str, body_line: int, first_line: int) -> Split:
    try:
        meta = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = first_line + int(found.group(1)) - 1 if found else first_line
        message = str(exc).split(" (at ")[0]
        error = f"bad TOML front matter: {message}"
        return _recovered(raw, "TOML", body, body_line, error, line)
    return _checked(meta, body, body_line, first_line, "TOML")


def _checked(meta: Any, body: str, body_line: int, first_line: int, kind: str) -> Split:
    if meta is None:
        return Split({}, body, body_line)
    if not isinstance(meta, dict):
        found = type(meta).__name__
        return Split({}, body, body_line, f"{kind} front matter is a {found}, not keys", first_line)
    return Split({str(k).lower(): v for k, v in meta.items()}, body, body_line)


# ---- recovery from a block YAML or TOML refuses -----------------------------------------------

# The keys parse.py reads; other keys of a broken block are not worth guessing at.
_LIST_KEYS = frozenset(key for kind in KINDS for key in kind.front)  # categories, tags…
RECOVERED_KEYS = frozenset(
    {"title", "date", "published", "draft"}
    | {"link", "url", "source", "canonical_url", "permalink"}
    | _LIST_KEYS
)
_FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_QUOTES = ('"', "'")
MAX_PIECE = 65_536  # characters of one key's lines worth reading again as YAML/TOML


def _recovered(raw: str, kind: str, body: str, body_line: int, error: str, line: int) -> Split:
    """The broken block's error, with the fields its lines still give on their own."""
    meta = recover_fields(raw, kind)
    if meta:
        error += f"; recovered {', '.join(meta)} from the lines that read on their own"
    return Split(meta, body, body_line, error, line)


def recover_fields(raw: str, kind: str) -> dict[str, Any]:
    """The known keys of a `kind` ("YAML" or "TOML") block, each read from its own line (and
    the lines under it): as YAML/TOML reads that piece alone when it can, else as written.

    One pass of plain string work (no pattern), then at most two loads of at most MAX_PIECE
    characters per key: linear on any text."""
    sep = ":" if kind == "YAML" else "="
    pieces: dict[str, list[str]] = {}  # key -> its line and the lines under it
    current: list[str] | None = None
    for line in raw.split("\n"):
        if kind == "TOML" and line.startswith("["):
            break  # a [table]: the keys after it are not the post's
        key = _key_of(line, sep)
        if key is not None:
            current = [line] if key in RECOVERED_KEYS else None
            if current is not None:
                pieces[key] = current  # a key given twice: the last wins, as in YAML
        elif current is not None and _continues(line, kind):
            current.append(line)
        else:
            current = None
    meta = {}
    for key, lines in pieces.items():
        value = _read_piece(key, lines, kind)
        if value not in (None, "", []):
            meta[key] = value
    return meta


def _key_of(line: str, sep: str) -> str | None:
    """The lower-cased key of a top-level `key: value` (YAML) or `key = value` (TOML) line."""
    if not line or line[0] in " \t#-":
        return None
    name, found, rest = line.partition(sep)
    name = name.rstrip()
    if not found or not name or not all(c.isalnum() or c in "_-." for c in name):
        return None
    if sep == ":" and rest[:1] not in ("", " ", "\t", "\r"):
        return None  # `title:x` is a YAML scalar, not a key
    return name.lower()


def _continues(line: str, kind: str) -> bool:
    """A line that belongs to the key above it: indented, a `- item`, or blank (YAML); any
    line that is no key of its own (TOML: the rest of a multi-line array or string)."""
    if kind == "TOML":
        return True
    return not line.strip() or line[0] in " \t-"


def _read_piece(key: str, lines: list[str], kind: str) -> Any:
    """The key's lines as YAML/TOML reads them alone, else its own line alone (the lines
    under it may be the broken part), else the value as written."""
    load = tomllib.loads if kind == "TOML" else _safe_yaml
    for piece in ("\n".join(lines), lines[0]) if len(lines) > 1 else (lines[0],):
        if len(piece) > MAX_PIECE:
            continue  # no field of a post is this long: not worth a second parse
        try:
            loaded = load(piece)
        except (yaml.YAMLError, RecursionError, MemoryError, ValueError):
            continue
        if isinstance(loaded, dict) and len(loaded) == 1:
            [(name, value)] = loaded.items()
            if str(name).lower() == key and value is not None:  # None: `tags:` over its items
                return value
    return _as_written(key, lines, ":" if kind == "YAML" else "=")


def _safe_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


def _as_written(key: str, lines: list[str], sep: str) -> Any:
    """A value YAML/TOML refuses, taken as written: matching outer quotes dropped, `[a, b]`
    (closed or not) and `- item` lines as lists for terms, true/false for flags."""
    value = lines[0].partition(sep)[2].strip()
    if key in ("published", "draft"):
        return _FLAGS.get(_unquoted(value).lower())
    if key in _LIST_KEYS:
        if value.startswith("["):  # an unclosed list still lists its items, never a `[` tag
            inner = value[1:-1] if value.endswith("]") else value[1:]
            return [item for item in map(_unquoted, inner.split(",")) if item]
        if not value:
            items = (line.strip() for line in lines[1:])
            listed = (_unquoted(item[1:]) for item in items if item.startswith("-"))
            return [item for item in listed if item] or None
    return _unquoted(value)


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] == value[0]:
        return value[1:-1]
    return value
