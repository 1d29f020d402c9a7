"""Any bytes in, an article or a ParseError/Unpublished out: never a crash, never a control char."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.parse import ParseError, Unpublished, parse_bytes

FUZZ = settings(
    max_examples=200,
    deadline=None,  # the first call imports html2text
    derandomize=True,  # the same examples every run
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check(data: bytes) -> None:
    try:
        article = parse_bytes(data, "x.md")
    except (ParseError, Unpublished):
        return
    one_line = [article.title, *article.tags, *article.categories, article.url or ""]
    for value in (*one_line, article.body, article.text, article.date or ""):
        assert not CONTROLS.search(value), value
    for value in one_line:
        assert "\n" not in value and "\t" not in value, value
    assert article.title
    assert article.kind in ("html", "markdown", "text")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.text(max_size=2000))
def test_any_text(text: str) -> None:
    check(encode(text))


@FUZZ
@given(st.text(max_size=500), st.text(max_size=1000))
def test_any_text_in_front_matter(meta: str, body: str) -> None:
    check(encode(f"---\n{meta}\n---\n{body}"))


KEYS = st.sampled_from(
    ["title", "date", "categories", "category", "tags", "tag", "published", "draft", "url", "link"]
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(st.one_of(st.text(max_size=15), st.integers()), max_size=5),
    st.sampled_from(["2022-05-20 13:43:49 +0800", "2022-02-30", " +0800", "http://x.example/"]),
)


@FUZZ
@given(st.dictionaries(KEYS, VALUES, max_size=6), st.text(max_size=300))
def test_any_jekyll_front_matter(meta: dict[str, object], body: str) -> None:
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items())
    check(encode(f"---\n{lines}---\n{body}"))


PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<div hidden>", "</div>", "<div>", "<script>", "</script>", "<style>",
        "<a href='http://x.example/'>", "</a>", "<img src=x alt='a'>", "<br>", "<h1>", "</h1>",
        "&#27;[31m", "&#x9b;", "&#0;", "&#x1b;]52;c;QQ==&#7;", "<table><tr><td>", "</td>",
        "<ul><li>", "<pre><code>", "</code></pre>", "<span style='display:none'>", "</span>",
        "<!--", "-->", "<![CDATA[", "<blockquote>", "<b>", "</b>", "<http://x.example/>",
    ]
)  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40))
def test_any_html_soup(pieces: list[str]) -> None:
    check(encode("<p>start</p>" + "".join(pieces)))
