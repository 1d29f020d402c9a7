"""The hostile corpus in tests/hostile/: posts whose every field carries terminal escapes,
control characters, Rich/Textual markup, bidi overrides, odd Unicode and dangerous links.

The files are generated from the tables below and committed; `test_hostile_cli` checks that
the files on disk are exactly what `generate()` returns. After changing a table, rewrite them:

    python tests/hostile_corpus.py

Front matter holds control characters as YAML double-quoted escapes ("\\e[31m", "\\x9b",
"\\u202e"), since YAML cannot hold them raw; bodies hold them as raw characters (UTF-8).
`HOSTILE_INPUTS` lists every (field, payload) pair the corpus carries.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

CORPUS = Path(__file__).parent / "hostile"

# Payloads that end up as text: escapes and controls, markup, and odd Unicode.
ESCAPES: dict[str, str] = {
    "csi_colour": "\x1b[31mred\x1b[0m",
    "csi_clear": "\x1b[2J\x1b[H",
    "csi_alt_screen": "\x1b[?1049h",
    "csi_8bit": "\x9b31m",
    "osc52_clipboard": "\x1b]52;c;aGVsbG8=\x07",
    "osc8_hyperlink": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "osc0_title": "\x1b]0;pwned\x07",
    "osc2_title": "\x1b]2;pwned\x1b\\",
    "osc_8bit": "\x9d0;pwned\x9c",
    "dcs": "\x1bP+q544e\x1b\\",
    "c0_controls": "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r\x1b"),
    "c1_controls": "".join(chr(c) for c in range(0x80, 0xA0)),
    "bel": "ding\x07",
    "backspace": "abc\x08\x08\x08xyz",
    "delete": "del\x7f",
    "carriage_return": "fake\rreal",
    # Strings never terminated: a stray ESC ] or U+009D, as in UTF-8 read twice ("\u201d").
    "osc_unterminated": "\x1b]0;never ends",
    "c1_mojibake": "\u201d".encode().decode("latin-1"),
}
UNTERMINATED = ("c1_controls", "osc_unterminated", "c1_mojibake")  # last in combined files
MARKUP: dict[str, str] = {
    "markup_bold": "[bold]bold[/bold]",
    "markup_link": "[link=https://evil.example]x[/link]",
    "markup_click": "[@click=app.quit]x[/]",
    "markup_unbalanced": "[/]",
    "markup_variable": "$accent [$error]v[/]",
}
UNICODE: dict[str, str] = {
    "bidi_override": "abc\u202edcba\u202c",
    "bidi_embeddings": "\u202aa\u202bb\u202dc\u202c",
    "bidi_isolates": "\u2066a\u2067b\u2068c\u2069",
    "zero_width": "zero\u200bwidth\u200djoin\ufeffbom",
    "zalgo": "Z" + "\u0351\u0352\u0357\u035b\u0363\u036b" * 4 + "algo" + "\u0316\u0317\u0318" * 5,
    "emoji_zwj": "family \U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 flag "
    "\U0001f3f3\ufe0f\u200d\U0001f308",
}
# Character references that decode to controls or overrides only when HTML or Markdown is read.
ENTITIES: dict[str, str] = {
    "entity_escape": "&#27;[31m&#x1b;]0;pwned&#7;",
    "entity_c1": "&#x9b;31m&#155;",
    "entity_bidi": "&#x202e;dcba&#8238;",
}
TEXT_PAYLOADS: dict[str, str] = {**ESCAPES, **MARKUP, **UNICODE, **ENTITIES}
# The order of the files holding every payload: an unterminated string may eat what follows.
COMBINED = sorted(TEXT_PAYLOADS.items(), key=lambda item: item[0] in UNTERMINATED)

# Long runs: a 10,000-character title of words, one without spaces, one of wide characters.
LONG: dict[str, str] = {
    "long_words": ("Long title " * 1000)[:10_000],
    "long_run": "A" * 10_000,
    "long_wide": "長" * 10_000,
}

LINKS: dict[str, str] = {
    "link_javascript": "javascript:alert(document.cookie)",
    "link_javascript_case": "JaVaScRiPt:alert(1)",
    "link_vbscript": "vbscript:msgbox(1)",
    "link_file": "file:///etc/passwd",
    "link_data_html": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "link_data_image": "data:image/png;base64,iVBORw0KGgo=",
    "link_shell_subst": "https://x.example/$(rm -rf ~)",
    "link_backticks": "https://x.example/`id`",
    "link_semicolon": "https://x.example/a;rm -rf ~",
    "link_pipe": "https://x.example/a|sh",
    "link_escape": "https://x.example/\x1b]52;c;aGVsbG8=\x07path",
    "link_bidi": "https://x.example/\u202egnp.exe",
}

# The fields one payload can sit in; `HOSTILE_INPUTS` pairs these with payload names.
TEXT_FIELDS = ("title", "tags", "categories", "body.md", "body.html", "bare.html", "body.txt")
DATE_PAYLOADS = ("csi_colour", "osc52_clipboard", "csi_8bit", "bidi_override", "markup_link")

_YAML_ESCAPES = {
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
}


def yaml_quote(value: str) -> str:
    """`value` as a YAML double-quoted scalar: every invisible character as an escape."""
    out = []
    for ch in value:
        if ch in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[ch])
        elif ch.isprintable() and ch != "\ufeff":
            out.append(ch)  # CJK, emoji, combining marks: YAML takes them raw
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _day(year: int, month: int, number: int) -> str:
    return (date(year, month, 1) + timedelta(days=number)).isoformat()


def _post(meta: Iterable[tuple[str, str | list[str]]], body: str) -> bytes:
    lines = ["---"]
    for key, value in meta:
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(yaml_quote(item) for item in value)}]")
        elif key == "date" and value[:1].isdigit():
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {yaml_quote(value)}")
    return ("\n".join([*lines, "---", body])).encode("utf-8")


PROSE = " ".join(
    f"Sentence {n} of ordinary prose sits between the hostile parts, as it would in a news"
    " article that carries a few stray bytes."
    for n in range(1, 16)
)
# Posts more than a tenth control characters are skipped as binary: these get one paragraph.
SPARSE = ("c0_controls",)


def _markdown(name: str, payload: str) -> str:
    if name in SPARSE:
        return (
            f"# Heading {payload}\n\n{PROSE}\n\nParagraph with {payload} inside.\n\n"
            f"Last line of {name}.\n"
        )
    return (
        f"# Heading {payload}\n\n"
        f"Paragraph with {payload} inside *emphasis {payload}* and **strong {payload}**.\n\n"
        f"- item {payload}\n- second item\n\n"
        f"1. numbered {payload}\n\n"
        f"> quote {payload}\n\n"
        f"Inline `code {payload}` and a [link {payload}](https://example.com/{name}).\n\n"
        f"| head {payload} | b |\n|---|---|\n| cell {payload} | c |\n\n"
        f"```\nfenced {payload}\n```\n\n"
        f"    indented code {payload}\n\n"
        f"Last line of {name}.\n"
    )


def _html_block(name: str, payload: str) -> str:
    return (
        f"<h2>{name} {payload}</h2>\n"
        f'<p>Paragraph {payload} <b>bold {payload}</b> <a href="https://example.com/{name}">'
        f"link {payload}</a></p>\n"
        f"<ul><li>item {payload}</li></ul>\n"
        f"<pre>pre {payload}</pre>\n"
    )


class _Corpus:
    """Collects the files and the (field, payload) pairs they carry."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.inputs: list[tuple[str, str]] = []

    def add(self, name: str, data: bytes, *inputs: tuple[str, str]) -> None:
        assert name not in self.files, name
        self.files[name] = data
        self.inputs += [pair for pair in inputs if pair not in self.inputs]


def _build() -> _Corpus:
    corpus = _Corpus()
    # One Markdown post per text payload: in the title, a tag, a category and all over the body.
    for number, (name, payload) in enumerate(TEXT_PAYLOADS.items(), 1):
        meta: list[tuple[str, str | list[str]]] = [
            ("title", f"{name} {payload} title"),
            ("date", _day(2024, 2, number)),
            ("categories", [f"cat-{name} {payload}"]),
            ("tags", [f"tag-{name} {payload}", "hostile"]),
        ]
        corpus.add(
            f"md-{name}.md",
            _post(meta, _markdown(name, payload)),
            ("title", name),
            ("tags", name),
            ("categories", name),
            ("body.md", name),
        )
    # Every text payload in one HTML body, one bare HTML page and one plain-text body.
    html = "".join(_html_block(name, payload) for name, payload in COMBINED)
    corpus.add(
        "all-payloads-html.html",
        _post([("title", "All payloads in HTML"), ("date", "2024-01-03")], html),
        *[("body.html", name) for name in TEXT_PAYLOADS],
    )
    bare = (
        "<!DOCTYPE html>\n<html><head><title>Bare \x1b[31mpage\x07</title>"
        "<script>alert(1)</script></head>\n<body>\n"
        f"<h1>Bare page {ESCAPES['osc52_clipboard']}{MARKUP['markup_click']}"
        f"{UNICODE['bidi_override']}</h1>\n{html}</body></html>\n"
    )
    corpus.add("bare-page.html", bare.encode("utf-8"), *[("bare.html", n) for n in TEXT_PAYLOADS])
    text = "".join(f"{name}: a line with {payload} in it.\n\n" for name, payload in COMBINED)
    corpus.add(
        "all-payloads-text.txt",
        _post([("title", "All payloads in plain text"), ("date", "2024-01-02")], text),
        *[("body.txt", name) for name in TEXT_PAYLOADS],
    )
    first = ESCAPES["csi_clear"] + ESCAPES["osc0_title"] + MARKUP["markup_bold"]
    corpus.add(
        "bare-text.txt",
        f"Bare text {first} without front matter.\n\nSecond paragraph.\n".encode(),
        ("bare.txt", "csi_clear"),
        ("bare.txt", "osc0_title"),
        ("bare.txt", "markup_bold"),
    )
    # 8-bit C1 as raw bytes: not UTF-8, so the decoder has to guess.
    corpus.add(
        "c1-raw-bytes.txt",
        b"---\ntitle: Raw C1 bytes\ndate: 2024-01-01\n---\nCSI \x9b31m OSC \x9d0;pwned\x9c "
        b"BEL \x07 end.\n",
        ("bytes", "c1_raw"),
    )
    # A title made of nothing but controls: the title falls back to the first heading.
    controls = "\0" + ESCAPES["csi_clear"] + ESCAPES["osc0_title"] + ESCAPES["bel"]
    controls += ESCAPES["csi_8bit"]  # NUL only here: a raw NUL makes a file binary
    corpus.add(
        "only-controls.md",
        _post(
            [("title", controls), ("date", "2024-01-04"), ("tags", [controls])],
            f"# Fallback heading {ESCAPES['csi_colour']}\n\nBody.\n",
        ),
        ("title.alone", "nul"),
        ("title.alone", "csi_clear"),
        ("title.alone", "osc0_title"),
        ("title.alone", "bel"),
        ("title.alone", "csi_8bit"),
    )
    # A date that is no date: its warning quotes it.
    corpus.add(
        "bad-date.md",
        _post(
            [("title", "A bad date"), ("date", "".join(TEXT_PAYLOADS[n] for n in DATE_PAYLOADS))],
            "The date is hostile.\n",
        ),
        *[("date", name) for name in DATE_PAYLOADS],
    )
    # Markup in a file name that becomes the title.
    corpus.add(
        "[bold]-slug-title.md",
        _post([("date", "2024-01-05")], "No title and no heading, so the file name is used.\n"),
        ("filename", "markup_bold"),
    )
    # Long runs, in the title, a tag and the body.
    for number, (name, payload) in enumerate(LONG.items(), 1):
        corpus.add(
            f"{name.replace('_', '-')}.md",
            _post(
                [("title", payload), ("date", _day(2024, 4, number)), ("tags", [payload])],
                f"Before.\n\n{payload}\n\nAfter.\n",
            ),
            ("title", name),
            ("tags", name),
            ("body.md", name),
        )
    # Dangerous links: in the front matter and as every kind of link in the body.
    anchors = []
    for number, (name, url) in enumerate(LINKS.items(), 1):
        body = (
            f"A [link]({'<' + url + '>' if ' ' in url else url}) and an autolink <{url}>.\n\n"
            f"An image ![picture](<{url}>).\n\n"
            f'<a href="{url}">an HTML anchor</a>\n\n'
            f"{url}\n"
        )
        corpus.add(
            f"{name.replace('_', '-')}.md",
            _post(
                [("title", f"Link {name}"), ("date", _day(2024, 5, number)), ("link", url)], body
            ),
            ("link", name),
            ("body.md.link", name),
        )
        anchors.append(f'<p><a href="{url}">{name}</a> <img src="{url}" alt="{name}"></p>\n')
    corpus.add(
        "links-page.html",
        f"<html><body><h1>Hostile links</h1>\n{''.join(anchors)}</body></html>\n".encode(),
        *[("bare.html.link", name) for name in LINKS],
    )
    # Keep the bytes exact: no line-end conversion by git.
    corpus.add(".gitattributes", b"* -text\n")
    return corpus


def generate() -> dict[str, bytes]:
    """File name -> bytes of every file the corpus folder holds."""
    return dict(_build().files)


HOSTILE_INPUTS: list[tuple[str, str]] = _build().inputs
ARTICLES = sorted(name for name in generate() if not name.startswith("."))  # the posts
MTIME = 1_700_000_000  # 2023-11-14: the file time `copy_corpus` gives every post


def copy_corpus(target: Path) -> Path:
    """Copy the corpus files into `target` with one fixed mtime, so undated posts sort the same
    on every checkout."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ARTICLES:
        shutil.copyfile(CORPUS / name, target / name)
        os.utime(target / name, (MTIME, MTIME))
    return target


def write(folder: Path = CORPUS) -> None:
    """Write the corpus into `folder`, removing files it no longer holds."""
    folder.mkdir(parents=True, exist_ok=True)
    files = generate()
    for path in folder.iterdir():
        if path.name not in files:
            path.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
    print(f"{len(ARTICLES)} posts, {len(HOSTILE_INPUTS)} hostile inputs in {CORPUS}")
