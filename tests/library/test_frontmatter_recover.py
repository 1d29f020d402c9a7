"""Front matter that YAML or TOML refuses still gives the fields its lines say on their own."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.library.frontmatter import _Loader, split_front_matter
from reader.library.parse import ParseError, Unpublished, parse_bytes, parse_file

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples every run
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

SCRAPED = """\
---
layout: post
title: "我发现自己想不起来怎么写"喷嚏"中的"嚏"了"
date: 2022-05-20 13:43:49 +0800
categories: [weibo]
tags:
  - 语言
  - "汉字"
---
正文第一段。
"""


def test_a_title_with_inner_quotes_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "-202205201343.md"
    path.write_text(SCRAPED, encoding="utf-8")
    article = parse_file(path)
    assert article.title == '我发现自己想不起来怎么写"喷嚏"中的"嚏"了'
    assert article.date == "2022-05-20T13:43:49+08:00"
    assert article.categories == ("weibo",)
    assert article.tags == ("语言", "汉字")
    assert article.body == "正文第一段。\n"
    [warning] = article.warnings
    assert warning.path == str(path) and warning.line == 3
    assert warning.message.startswith("bad YAML front matter: ")
    assert warning.message.endswith(
        "; recovered title, date, categories, tags from the lines that read on their own"
    )
    assert str(warning).startswith(f"{path}:3: bad YAML front matter")


def test_a_title_with_a_colon_is_kept_as_written() -> None:
    text = "---\nlayout: post\ntitle: Bad: colon\ndate: 2021-12-08\nlink: http://x.example/a\n---\n"
    article = parse_bytes(f"{text}# From the body\n".encode(), "/posts/slug.md")
    assert (article.title, article.date) == ("Bad: colon", "2021-12-08")
    assert article.url == "http://x.example/a"
    [warning] = article.warnings
    assert warning.line == 3
    assert "recovered title, date, link from the lines" in warning.message


def test_a_toml_block_keeps_what_reads_on_its_own() -> None:
    text = (
        "+++\n"
        'title = "A "quoted" word"\n'
        "date = 2021-01-02T03:04:05+08:00\n"
        'tags = ["a",\n  "b c"]\n'
        "categories = 'news'\n"
        "[params]\n"
        'tags = ["not", "the", "post\'s"]\n'
        "+++\n"
        "Body.\n"
    )
    article = parse_bytes(text.encode(), "toml.md")
    assert article.title == 'A "quoted" word'
    assert article.date == "2021-01-02T03:04:05+08:00"
    assert article.tags == ("a", "b c")  # the multi-line array, not [params]'s
    assert article.categories == ("news",)
    [warning] = article.warnings
    assert warning.line == 2 and warning.message.startswith("bad TOML front matter: ")
    assert warning.message.endswith(
        "; recovered title, date, tags, categories from the lines that read on their own"
    )


def test_a_recovered_published_false_still_skips_the_post() -> None:
    data = b'---\ntitle: "a "b" c"\npublished: false\n---\nDraft.\n'
    with pytest.raises(Unpublished):
        parse_bytes(data, "draft.md")
    article = parse_bytes(data, "draft.md", include_unpublished=True)
    assert article.title == 'a "b" c'


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ('title: "a "b" c"', 'a "b" c'),  # matching outer quotes dropped, inner kept
        ("title: 'it's'", "it's"),
        ("title: \"unclosed 'x'", "\"unclosed 'x'"),  # no matching pair: as written
        ('title: "a \\"b\\""', 'a "b"'),  # a line YAML reads alone: read as YAML reads it
        ("title: 'It''s'", "It's"),
        ("Title:   padded   ", "padded"),  # keys lower-cased, as for a valid block
        ("tags: [a, \"b c\", 'd', ]", ["a", "b c", "d"]),
        ('tags: ["x", "y z"', ["x", "y z"]),  # an unclosed list: its items, never a `[` tag
        ("tags: [", None),
        ("draft: yes", True),
        ("published: False", False),
    ],
)
def test_a_value_is_read_alone_or_as_written(line: str, value: object) -> None:
    split = split_front_matter(f"---\n{line}\nbroken: [\n---\nbody\n")
    key = line.split(":")[0].lower()
    assert split.meta == ({key: value} if value is not None else {})
    assert split.error is not None and split.error_line in (2, 3, 4)


def test_list_items_under_a_key_become_a_list() -> None:
    text = "---\ncategories:\n- one\n-   'two'\n  - three\ntitle: [x\n---\nbody\n"
    split = split_front_matter(text)
    assert split.meta == {"categories": ["one", "two", "three"], "title": "[x"}


def test_only_the_keys_a_post_uses_are_recovered_and_the_last_wins() -> None:
    text = "---\nlayout: post\nsummary: me\ntitle: one\ntitle: two\nx: [\n---\nbody\n"
    split = split_front_matter(text)
    assert split.meta == {"title": "two"}
    assert split.error is not None and split.error.endswith(
        "; recovered title from the lines that read on their own"
    )


def test_nothing_to_recover_leaves_the_warning_as_it_was() -> None:
    split = split_front_matter("---\nlayout: post\nx: [\ntitle:\n---\nbody\n")
    assert split.meta == {}
    assert split.error == "bad YAML front matter: did not find expected node content"


def test_a_valid_block_is_read_exactly_as_before() -> None:
    split = split_front_matter("---\ntitle: 'a: b'\ntags:\n- x\ndate: 2022-01-01\n---\nbody\n")
    assert split.meta == {"title": "a: b", "tags": ["x"], "date": "2022-01-01"}
    assert split.error is None
    toml = split_front_matter("+++\ntitle = 'T'\ndate = 2022-01-01\n+++\nbody\n")
    assert toml.meta == {"title": "T", "date": date(2022, 1, 1)} and toml.error is None


def test_a_front_matter_too_large_to_read_is_not_recovered() -> None:
    keys = "".join(f"k{i}: v\n" for i in range(120_000))
    split = split_front_matter(f"---\ntitle: Hidden\n{keys}---\nbody\n")
    assert split.meta == {} and split.error == "front matter is too large to read"


# ---- properties -------------------------------------------------------------------------------

KEYS = st.sampled_from(
    ["title", "Title", "date", "tags", "tag", "categories", "category", "link", "url",
     "permalink", "published", "draft", "layout", "author", "x"]
)  # fmt: skip
JUNK = st.sampled_from(
    ['"', "'", "[", "]", "{", ": ", ":", "- ", "  ", "\t", "#", "=", "*a", "&a", "!!python/x",
     "true", "2022-02-30", '"a"b"', "[a, b", "+++", "..."]
)  # fmt: skip
PIECE = st.lists(st.one_of(JUNK, st.text(max_size=8)), max_size=6).map("".join)
LINE = st.one_of(
    st.tuples(KEYS, st.sampled_from([": ", ":", " = ", "="]), PIECE).map("".join),
    st.tuples(st.sampled_from(["- ", "  - ", "  "]), PIECE).map("".join),
    PIECE,
)


def _line_keys(raw: str) -> set[str]:
    """The keys a line of the block starts with, lower-cased: all a recovery may give."""
    found = set()
    for line in raw.split("\n"):
        for sep in (":", "="):
            name = line.partition(sep)[0].strip().lower()
            if sep in line and name:
                found.add(name)
    return found


@FUZZ
@given(st.lists(LINE, min_size=1, max_size=12), st.sampled_from(["---", "+++"]))
def test_a_refused_block_never_raises_nor_makes_up_a_key(lines: list[str], fence: str) -> None:
    raw = "\n".join(line.replace("\n", " ") for line in lines)
    text = f"{fence}\n{raw}\n{fence}\nbody\n"
    split = split_front_matter(text)
    assume(split.error is not None)
    assert set(split.meta) <= _line_keys(raw), (split.meta, raw)
    if split.meta:
        assert "; recovered " + ", ".join(split.meta) + " from the lines" in split.error
    try:
        article = parse_bytes(text.encode("utf-8", "surrogatepass"), "x.md")
    except (ParseError, Unpublished):
        return
    assert article.title and "\n" not in article.title
    assert any(w.line == split.error_line for w in article.warnings)


VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=10), max_size=4),
)


@FUZZ
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_a_valid_block_is_what_yaml_reads(meta: dict[str, object]) -> None:
    raw = "".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items()
    )
    try:
        expected = yaml.load(raw, Loader=_Loader) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        assume(False)  # a character YAML refuses: not a valid block
    split = split_front_matter(f"---\n{raw}---\nbody\n")
    assert split.error is None
    assert split.meta == {str(k).lower(): v for k, v in expected.items()}


# ---- bounded work on hostile blocks -----------------------------------------------------------

SIZE = 900_000  # under MAX_FRONT_MATTER: the block is read, then recovered
HOSTILE = {
    "quotes": '---\ntitle: "' + '"a' * (SIZE // 2) + "\nbad: [\n---\n",
    "colons": "---\ntitle: " + ": " * (SIZE // 2) + "\n---\n",
    "inline list": "---\ntags: [" + "a, " * (SIZE // 3) + "\nx: [\n---\n",
    "items": "---\ntags:\n" + "- a\n" * (SIZE // 4) + "x: [\n---\n",
    "keys": "---\n" + "title: a\n" * (SIZE // 9) + "x: [\n---\n",
    "deep": "---\ntags: " + "[" * SIZE + "\n---\n",
    "toml keys": "+++\n" + "title = 'a'\n" * (SIZE // 12) + "broken\n+++\n",
    "toml array": "+++\ntags = [" + "'a'," * (SIZE // 4) + "\nbroken\n+++\n",
    "spaces": "---\ntitle:" + " " * SIZE + "x\nbad: [\n---\n",
}
CPU_SECONDS = 60  # all cases together take ~5 s; work that grows with the square takes hours

CHILD = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
    from reader.library.frontmatter import split_front_matter
    for name, text in json.loads(sys.stdin.read()).items():
        split = split_front_matter(text + "body\\n")
        assert split.error, name
        print("ok", name, flush=True)
    """
).format(cpu=CPU_SECONDS)


@pytest.mark.skipif(sys.platform == "win32", reason="uses RLIMIT_CPU")
def test_recovery_stays_linear_on_hostile_blocks() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(HOSTILE),
        capture_output=True,
        text=True,
        timeout=CPU_SECONDS * 4,
    )
    finished = done.stdout.splitlines()
    stuck = list(HOSTILE)[len(finished)] if len(finished) < len(HOSTILE) else None
    assert done.returncode == 0 and stuck is None, (
        f"ran out of CPU on the {stuck!r} block (exit {done.returncode}): {done.stderr[-500:]}"
    )
