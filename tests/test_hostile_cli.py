"""The hostile corpus (tests/hostile/) through the command line: every post imports, and no
escape sequence, control character or bidi override from a post reaches the terminal.

Most runs are in-process (`main([...])` with capsys); `test_on_a_terminal` runs the real
program with stdout and stderr on pseudo-terminals and FORCE_COLOR, so the Rich progress bar
of `import` is drawn too.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from cli_helpers import run
from hostile_corpus import (
    ARTICLES,
    CORPUS,
    ESCAPES,
    HOSTILE_INPUTS,
    LINKS,
    LONG,
    MARKUP,
    TEXT_FIELDS,
    TEXT_PAYLOADS,
    UNTERMINATED,
    copy_corpus,
    generate,
)

from reader.library.parse import MAX_TITLE

# ESC, the other C0 controls but tab and newline, DEL and the C1 controls (8-bit CSI, OSC...).
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
ROW = re.compile(r"^ *(\d+) [* ][N ] (\d{4}-\d\d-\d\d| {10})  (.{16})  (.*)$")
FACT = re.compile(r"^(Date|Source) {5}")  # the first line under the title in `show`
HOSTILE_ROOT = "evil\x1b]0;pwned\x07\u202e[bold]\x9b31m"


def leaks(text: str, *, bidi: bool = True) -> list[str]:
    """The lines of `text` that hold a control character (or a bidi control), as reprs."""
    found = [line for line in text.splitlines() if CONTROLS.search(line)]
    if bidi:
        found += [line for line in text.splitlines() if BIDI.search(line)]
    return [repr(line[:120]) for line in found]


def title_lines(shown: str) -> list[str]:
    """The lines of the title at the top of `show`'s laid-out output (it wraps)."""
    lines = shown.splitlines()
    end = next(i for i, line in enumerate(lines) if FACT.match(line))
    return lines[:end]


def unwrapped(text: str | list[str]) -> str:
    """`text` without its whitespace: what wrapping cannot change (it drops spaces at breaks)."""
    return "".join("".join(text).split())


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test's own home only."""
    monkeypatch.delenv("NEWSREADER_CONFIG", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "hostile.db"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of tests/hostile with fixed file times."""
    return copy_corpus(tmp_path / "hostile")


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], db: Path, corpus: Path) -> list[dict]:
    """The corpus imported into `db`; its `list --json` records."""
    code, _, _ = run(capsys, "--library", db, "import", corpus)
    assert code == 0
    code, out, _ = run(capsys, "--library", db, "list", "--json")
    assert code == 0
    records: list[dict] = json.loads(out)
    return records


def by_file(records: list[dict]) -> dict[str, dict]:
    return {Path(record["path"]).name: record for record in records}


# ---- the corpus itself ---------------------------------------------------------------------


def test_the_corpus_files_are_what_the_generator_writes() -> None:
    on_disk = {path.name: path.read_bytes() for path in CORPUS.iterdir()}
    expected = generate()
    assert sorted(on_disk) == sorted(expected), "run `python tests/hostile_corpus.py`"
    changed = [name for name in expected if on_disk[name] != expected[name]]
    assert changed == [], "run `python tests/hostile_corpus.py`"


def test_the_corpus_holds_the_raw_payloads() -> None:
    """The YAML escapes decode to the payloads, and the bodies hold them raw."""
    for name, payload in TEXT_PAYLOADS.items():
        text = (CORPUS / f"md-{name}.md").read_bytes().decode("utf-8")  # keeps a raw \r
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        assert meta["title"] == f"{name} {payload} title"
        assert meta["tags"] == [f"tag-{name} {payload}", "hostile"]
        assert meta["categories"] == [f"cat-{name} {payload}"]
        assert f"Paragraph with {payload} inside" in body
    for name, payload in LONG.items():
        text = (CORPUS / f"{name.replace('_', '-')}.md").read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n", 2)[1])
        assert meta["title"] == payload and len(payload) == 10_000
    for name, url in LINKS.items():
        text = (CORPUS / f"{name.replace('_', '-')}.md").read_text(encoding="utf-8")
        assert yaml.safe_load(text.split("---\n", 2)[1])["link"] == url
    assert b"\x1b[2J\x1b[H" in (CORPUS / "md-csi_clear.md").read_bytes()
    assert b"\x9b31m" in (CORPUS / "c1-raw-bytes.txt").read_bytes()


def test_hostile_inputs_are_distinct_and_named() -> None:
    assert len(set(HOSTILE_INPUTS)) == len(HOSTILE_INPUTS)
    for field in TEXT_FIELDS:
        long = set(LONG) if field in ("title", "tags", "body.md") else set()
        assert {name for f, name in HOSTILE_INPUTS if f == field} == {*TEXT_PAYLOADS, *long}
    assert {name for f, name in HOSTILE_INPUTS if f == "link"} == set(LINKS)
    assert len(HOSTILE_INPUTS) > 250


# ---- import ---------------------------------------------------------------------------------


def test_import_takes_every_post_and_quotes_problems_cleanly(
    capsys: pytest.CaptureFixture[str], db: Path, corpus: Path
) -> None:
    code, out, err = run(capsys, "--library", db, "import", corpus)
    assert code == 0
    assert out == (
        f"Imported into {db}: {len(ARTICLES)} new, 0 updated, 0 unchanged, 0 skipped, "
        "2 warnings, 0 errors\n"
    )
    assert leaks(out + err) == []
    warnings = err.splitlines()
    assert len(warnings) == 2, err
    # The hostile date is quoted as a repr: its escapes show as text, not as escapes.
    assert warnings[0].startswith(f"warning: {corpus / 'bad-date.md'}:3: unrecognised date '")
    assert "\\x1b[31mred\\x1b[0m\\x1b]52;c;aGVsbG8=\\x07\\x9b31m" in warnings[0]
    assert "\\u202e" in warnings[0]
    assert warnings[1].startswith(f"warning: {corpus / 'c1-raw-bytes.txt'}: not UTF-8; read as")

    _, out, _ = run(capsys, "--library", db, "list", "--json")
    assert sorted(by_file(json.loads(out))) == ARTICLES
    _, out, _ = run(capsys, "--library", db, "import", corpus)
    assert f"0 new, 0 updated, {len(ARTICLES)} unchanged" in out


# ---- output ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--json"],
        ["list", "--tag", "hostile"],
        ["search", "Paragraph"],
        ["search", "bold"],
        ["search", "--json", "tag:hostile"],
        ["stats"],
        ["tags"],
        ["tags", "--json"],
    ],
    ids=" ".join,
)
def test_listings_print_no_controls(
    capsys: pytest.CaptureFixture[str], db: Path, imported: list[dict], command: list[str]
) -> None:
    code, out, err = run(capsys, "--library", db, *command)
    assert code == 0 and err == ""
    assert out.strip()
    assert leaks(out) == []


def test_show_prints_no_escapes_or_controls(
    capsys: pytest.CaptureFixture[str], db: Path, imported: list[dict]
) -> None:
    for record in imported:
        # As laid out: the header (title wrapped, date, source, tags, link), body, links.
        code, out, err = run(capsys, "--library", db, "show", record["id"])
        assert code == 0 and err == ""
        assert leaks(out, bidi=False) == [], record["path"]
        header = out.split("\n\n", 1)[0]
        assert leaks(header) == [], record["path"]
        assert unwrapped(title_lines(out)) == unwrapped(record["title"]), record["path"]
        # As stored: the fields, then the Markdown.
        code, out, err = run(capsys, "--library", db, "show", record["id"], "--markdown")
        assert code == 0 and err == ""
        assert leaks(out, bidi=False) == [], record["path"]
        header = out.split("\n\n", 1)[0]  # title, date, source, tags, link, file
        assert leaks(header) == [], record["path"]
        assert out.splitlines()[0] == record["title"]
        code, out, _ = run(capsys, "--library", db, "show", record["id"], "--json")
        assert code == 0
        assert leaks(out, bidi=False) == [], record["path"]
        shown = json.loads(out)
        assert shown["title"] == record["title"]
        assert leaks(shown["text"], bidi=False) == [], record["path"]
        assert unwrapped(title_lines(shown["text"])) == unwrapped(record["title"])


def test_show_prints_no_bidi_controls(
    capsys: pytest.CaptureFixture[str], db: Path, imported: list[dict]
) -> None:
    found = []
    for record in imported:
        for extra in ([], ["--json"]):
            _, out, _ = run(capsys, "--library", db, "show", record["id"], *extra)
            found += leaks(out)
    assert found == []


def test_markup_shows_literally(
    capsys: pytest.CaptureFixture[str], db: Path, imported: list[dict]
) -> None:
    records = by_file(imported)
    _, listing, _ = run(capsys, "--library", db, "list")
    _, tags, _ = run(capsys, "--library", db, "tags")
    _, stats, _ = run(capsys, "--library", db, "stats")
    for name, payload in MARKUP.items():
        title = f"{name} {payload} title"
        assert records[f"md-{name}.md"]["title"] == title
        assert any(line.endswith(f"  {title}") for line in listing.splitlines()), title
        assert f"  tag-{name} {payload}\n" in tags
        assert f"  cat-{name} {payload}\n" in stats
        shown = records[f"md-{name}.md"]["id"]
        _, out, _ = run(capsys, "--library", db, "show", shown, "--markdown")
        assert out.startswith(f"{title}\n")
        assert f"Paragraph with {payload} inside *emphasis {payload}*" in out
        # Laid out wide enough for the paragraph to stay on one line: the markup as text.
        _, out, _ = run(capsys, "--library", db, "show", shown, "--width", "300")
        assert out.startswith(f"{title}\n")
        paragraph = f"Paragraph with {payload} inside emphasis {payload} and strong {payload}."
        assert f"\n{paragraph}\n" in out
        assert f"\nHeading {payload}\n" in out
    assert "[bold]bold[/bold]" in listing
    assert records["[bold]-slug-title.md"]["title"] == "[bold] slug title"
    _, out, _ = run(capsys, "--library", db, "search", "bold")
    assert "  markup_bold [bold]bold[/bold] title\n" in out


def test_escapes_are_cut_out_and_the_text_around_them_kept(imported: list[dict]) -> None:
    records = by_file(imported)
    titles = {name: records[f"md-{name}.md"]["title"] for name in ESCAPES}
    assert titles["csi_colour"] == "csi_colour red title"
    assert titles["osc8_hyperlink"] == "osc8_hyperlink click title"
    assert titles["osc52_clipboard"] == "osc52_clipboard title"
    assert titles["backspace"] == "backspace abcxyz title"
    assert titles["carriage_return"] == "carriage_return fakereal title"
    for name in ESCAPES:
        if name not in UNTERMINATED:
            assert titles[name].startswith(f"{name} ") and titles[name].endswith(" title")
            tags = records[f"md-{name}.md"]["tags"]
            assert tags[0].startswith(f"tag-{name}") and tags[1] == "hostile"
    # A title of nothing but controls falls back to the text left over.
    assert records["only-controls.md"]["title"] == "ding"


def test_unterminated_escape_strings_keep_the_rest_of_the_text(
    capsys: pytest.CaptureFixture[str], db: Path, imported: list[dict]
) -> None:
    records = by_file(imported)
    lost = []
    for name in UNTERMINATED:
        record = records[f"md-{name}.md"]
        _, out, _ = run(capsys, "--library", db, "show", record["id"])
        if not record["title"].endswith(" title"):
            lost.append(f"{name}: title {record['title']!r}")
        if f"Last line of {name}." not in out:
            lost.append(f"{name}: body {out[-80:]!r}")
    assert lost == []


def test_long_titles_keep_one_row_per_article(
    capsys: pytest.CaptureFixture[str],
    db: Path,
    imported: list[dict],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`list` prints whole rows for pipes and grep, whatever the terminal width: one line per
    article, the title as stored, and a stored title is cut to MAX_TITLE characters."""
    _, wide, _ = run(capsys, "--library", db, "list")
    monkeypatch.setenv("COLUMNS", "40")
    _, narrow, _ = run(capsys, "--library", db, "list")
    assert narrow == wide
    lines = wide.splitlines()
    assert len(lines) == len(imported)
    for line, record in zip(lines, imported, strict=True):
        match = ROW.match(line)
        assert match, repr(line[:120])
        assert int(match[1]) == record["id"]
        assert match[4] == record["title"]
        assert len(record["title"]) <= MAX_TITLE
    records = by_file(imported)
    for name, payload in LONG.items():
        title = records[f"{name.replace('_', '-')}.md"]["title"]
        assert title.endswith("…") and MAX_TITLE - 20 < len(title) <= MAX_TITLE
        assert payload.startswith(title[:-1])


def test_exported_state_holds_no_controls(
    capsys: pytest.CaptureFixture[str], db: Path, imported: list[dict], tmp_path: Path
) -> None:
    for record in imported:
        assert run(capsys, "--library", db, "bookmark", record["id"])[0] == 0
    state = tmp_path / "state.yaml"
    code, out, err = run(capsys, "--library", db, "export-state", state)
    assert code == 0 and err == ""
    assert out == f"Wrote the state of {len(imported)} articles to {state}\n"
    text = state.read_text(encoding="utf-8")
    assert leaks(text) == []
    titles = [article["title"] for article in yaml.safe_load(text)["articles"]]
    assert sorted(titles) == sorted(record["title"] for record in imported)


@pytest.mark.skipif(sys.platform == "win32", reason="control characters in a folder name")
def test_a_hostile_folder_name_is_printed_clean(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    folder = copy_corpus(tmp_path / HOSTILE_ROOT)
    found = []
    for command in (["import", folder], ["list"], ["stats"], ["show", "1"]):
        code, out, err = run(capsys, "--library", db, *command)
        assert code == 0
        found += leaks(out + err)
    assert found == []


# ---- a real process on a terminal -----------------------------------------------------------


def on_terminal(*args: str | Path) -> tuple[int, str, str]:
    """Run `python -m reader ARGS` with stdout and stderr on raw pseudo-terminals of 80x24."""
    import pty
    import tty

    env = {**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    pairs = [pty.openpty() for _ in range(2)]
    for _, slave in pairs:
        tty.setraw(slave)  # no \n -> \r\n: the bytes as the program wrote them
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=pairs[0][1],
        stderr=pairs[1][1],
        env=env,
    )
    for _, slave in pairs:
        os.close(slave)
    output = {master: bytearray() for master, _ in pairs}
    for master, chunk in _read(list(output)):
        output[master] += chunk
    code = process.wait(timeout=30)
    out, err = (bytes(output[master]).decode("utf-8") for master, _ in pairs)
    return code, out, err


def _read(masters: list[int]) -> Iterator[tuple[int, bytes]]:
    """Read the terminals until the program has closed both (EIO on Linux, b"" elsewhere)."""
    open_ = set(masters)
    while open_:
        ready, _, _ = select.select(sorted(open_), [], [], 30)
        assert ready, "the program wrote nothing for 30 s"
        for master in ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if chunk:
                yield master, chunk
            else:
                open_.discard(master)
                os.close(master)


@pytest.mark.skipif(sys.platform == "win32", reason="needs pseudo-terminals")
def test_on_a_terminal(db: Path, corpus: Path) -> None:
    code, out, err = on_terminal("--library", db, "import", corpus)
    assert code == 0
    assert "\x1b[?25l" in out  # Rich drew its progress bar (and hid the cursor for it)
    assert out.rstrip().endswith(
        f"{len(ARTICLES)} new, 0 updated, 0 unchanged, 0 skipped, 2 warnings, 0 errors"
    )
    assert len(err.splitlines()) == 2
    assert leaks(err) == []  # the warnings quote the hostile date and file names

    for command in (["list"], ["stats"], ["search", "Paragraph"], ["tags"]):
        code, out, err = on_terminal("--library", db, *command)
        assert code == 0 and err == ""
        assert leaks(out) == [], command
    code, out, _ = on_terminal("--library", db, "list")
    assert "  markup_click [@click=app.quit]x[/] title\n" in out
    code, out, _ = on_terminal("--library", db, "list", "--json")
    records = by_file(json.loads(out))
    for name in ("md-osc52_clipboard.md", "md-c1_controls.md", "bare-page.html", "link-escape.md"):
        code, shown, err = on_terminal("--library", db, "show", records[name]["id"])
        assert code == 0 and err == ""
        assert shown.startswith(records[name]["title"] + "\n")
        assert leaks(shown, bidi=False) == [], name
