"""Every text pattern the parser runs over article text stays linear on hostile input.

A pattern such as `\\[[^\\]]+\\]\\(` or `\\s*$` tried at each of 100,000 `[` or blank
lines takes minutes. Each case runs in a child process with a CPU budget far above what
the linear code needs (about 2 s for all cases together), so a regression fails the test
instead of hanging it; nothing here measures time.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

UNITS = [
    " ", "\t", "\n", " \n", "\n\n\n", "[", "[a](", "![", "<", "<a", "<http://", "*a ",
    "_a ", "__a ", "**", "`", "```\n", "\\", "#", "> ", "- ", "| ", "http://", "\x1b[",
    "\x1b]", "\x9d", "。", "a", "hidden ", "<p hidden ", "<style ", "<b style=display:none>",
]  # fmt: skip
FUNCTIONS = [
    "reader.library.body:detect_kind",
    "reader.library.parse:body_url",
    "reader.library.body:tidy",
    "reader.library.parse:first_heading",
    "reader.library.html_text:html_text",
    "reader.library.html_text:html_heading",
    "reader.library.parse:first_sentence",
    "reader.library.text:plain_text",
    "reader.library.text:clean_text",
    "reader.library.text:clean_line",
    "reader.library.text:count_words",
    "reader.library.text:split_sentences",
    "reader.library.fts:index_text",
]
SIZE = 100_000
CPU_SECONDS = 60  # all cases together take ~2 s; one quadratic pattern takes minutes

CHILD = textwrap.dedent(
    """
    import importlib, json, resource, sys
    resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
    units, names, size = json.loads(sys.stdin.read())
    functions = []
    for name in names:
        module, _, attr = name.partition(":")
        functions.append(getattr(importlib.import_module(module), attr))
    for unit in units:
        text = (unit * (size // len(unit) + 1))[:size] + "x"
        for function in functions:
            function(text)
        print("ok", repr(unit), flush=True)
    """
).format(cpu=CPU_SECONDS)


@pytest.mark.skipif(sys.platform == "win32", reason="uses RLIMIT_CPU")
def test_text_patterns_stay_linear_on_hostile_text() -> None:
    import json

    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps([UNITS, FUNCTIONS, SIZE]),
        capture_output=True,
        text=True,
        timeout=CPU_SECONDS * 4,
    )
    finished = done.stdout.splitlines()
    stuck = UNITS[len(finished)] if len(finished) < len(UNITS) else None
    assert done.returncode == 0 and stuck is None, (
        f"ran out of CPU on text made of {stuck!r} repeated (exit {done.returncode}):"
        f" {done.stderr[-500:]}"
    )
