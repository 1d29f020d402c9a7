"""Resolving a post's relative links at import: any text in, no crash, linear time."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.body import resolve_links

BASE = "https://finews.example.com/emnews/"
_pieces = st.lists(
    st.one_of(
        st.sampled_from(
            ["[a](", "../", "/x", "//h.com/p", ")", "](", "]: ", "\n", "[r]: ", "`", "```\n"]
        ),
        st.sampled_from(['<a href="', '<img src="', "'", '"', ">", "file:", "#top", "x y"]),
        st.text(max_size=5),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_pieces, base=st.sampled_from([None, BASE, "https://e.com"]))
def test_resolving_never_fails_and_is_done_once(text: str, base: str | None) -> None:
    once = resolve_links(text, base)
    assert resolve_links(once, base) == once
    if "](" not in text and "]:" not in text and "src" not in text and "href" not in text:
        assert once == text


CHILD = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    from reader.library.body import detect_kind, resolve_links
    for unit in json.loads(sys.stdin.read()):
        text = (unit * (100_000 // len(unit) + 1))[:100_000] + "x"
        resolve_links(text, "https://e.com/a/")
        detect_kind(text)
        detect_kind("## h\\n\\n<p>x</p>\\n" + text)
        print("ok", flush=True)
    """
)
UNITS = [
    "](", "](<", "[a]:", "\n[a]: ", "href=\"", "src='", "<p>", "<p>a\n", "`", "```\n", "]( ",
    "href= ", "- <u>", "#", "<", "[",
]  # fmt: skip


@pytest.mark.skipif(sys.platform == "win32", reason="uses RLIMIT_CPU")
def test_link_patterns_stay_linear_on_hostile_text() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(UNITS),
        capture_output=True,
        text=True,
        timeout=240,
    )
    finished = len(done.stdout.splitlines())
    assert done.returncode == 0 and finished == len(UNITS), (
        UNITS[finished] if finished < len(UNITS) else None,
        done.stderr[-500:],
    )
