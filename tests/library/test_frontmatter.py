"""Splitting YAML/TOML front matter from the body, and where its errors are."""

from __future__ import annotations

import pytest

from reader.library.frontmatter import split_front_matter


def test_yaml_front_matter_is_read_and_removed_from_the_body() -> None:
    split = split_front_matter("---\ntitle: Hello\nTags: [a, b]\n---\nBody line\n")
    assert split.meta == {"title": "Hello", "tags": ["a", "b"]}  # keys are lower-cased
    assert split.body == "Body line\n"
    assert split.body_line == 5
    assert split.error is None


def test_three_dots_also_close_yaml_front_matter() -> None:
    split = split_front_matter("---\ntitle: Dots\n...\nBody\n")
    assert split.meta == {"title": "Dots"}
    assert split.body == "Body\n"


def test_toml_front_matter_between_plus_lines() -> None:
    split = split_front_matter("+++\ntitle = 'Toml'\ntags = ['x']\n+++\nBody\n")
    assert split.meta == {"title": "Toml", "tags": ["x"]}
    assert split.body == "Body\n"


def test_dots_do_not_close_toml() -> None:
    split = split_front_matter("+++\ntitle = 'T'\n...\n+++\nBody\n")
    assert split.meta == {"title": "T"}  # recovered from its own line
    assert split.error is not None and "TOML" in split.error


def test_blank_lines_before_front_matter_are_allowed() -> None:
    split = split_front_matter("\n  \n---\ntitle: Late\n---\nBody\n")
    assert split.meta == {"title": "Late"}
    assert split.body == "Body\n"
    assert split.body_line == 6


def test_text_without_front_matter_is_all_body() -> None:
    text = "Just a post.\n---\ntitle: not front matter\n---\n"
    split = split_front_matter(text)
    assert split.meta == {}
    assert split.body == text


def test_unclosed_fence_is_a_markdown_rule_not_front_matter() -> None:
    text = "---\nSome text under a rule\n"
    split = split_front_matter(text)
    assert split.meta == {}
    assert split.body == text
    assert split.error is None


def test_yaml_dates_stay_strings_for_the_date_parser() -> None:
    # parse.parse_date reads strings (keeping the offset); PyYAML would make datetimes.
    split = split_front_matter("---\ndate: 2022-05-20 13:43:49 +08:00\n---\n")
    assert split.meta["date"] == "2022-05-20 13:43:49 +08:00"


@pytest.mark.parametrize(
    ("text", "line", "kept"),
    [
        ("---\ntitle: ok\nbad: [unclosed\n---\nbody\n", 3, "ok"),  # where the bracket opened
        ("---\ntitle: ok\nkey: value\n  nested: wrong\n---\nbody\n", 4, "ok"),
        ("\n\n---\ntitle: ok\nkey: value\n  nested: wrong\n---\nbody\n", 6, "ok"),
        ("---\ntitle: 'unterminated\n---\nbody\n", 2, "'unterminated"),  # as written
        ("---\na: 1\nb: [1,\n 2\nc: 3\n---\nbody\n", 5, None),  # where the list goes wrong
    ],
)
def test_bad_yaml_reports_the_line_of_the_error(text: str, line: int, kept: str | None) -> None:
    split = split_front_matter(text)
    assert split.meta == ({"title": kept} if kept else {})  # only the keys a post uses
    assert split.error is not None and split.error.startswith("bad YAML front matter")
    assert split.error_line == line
    assert split.body == "body\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("+++\ntitle = 'ok'\nbroken =\n+++\nbody\n", 3),
        ("\n+++\ntitle = 'ok'\ndate = 2020-01-01\nbroken\n+++\nbody\n", 5),
    ],
)
def test_bad_toml_reports_the_line_of_the_error(text: str, line: int) -> None:
    split = split_front_matter(text)
    assert split.meta["title"] == "ok"  # recovered from its own line
    assert split.error is not None and split.error.startswith("bad TOML front matter")
    assert split.error_line == line
    assert split.body == "body\n"


def test_front_matter_that_is_not_a_mapping_is_an_error() -> None:
    split = split_front_matter("---\n- a\n- b\n---\nbody\n")
    assert split.meta == {}
    assert split.error == "YAML front matter is a list, not keys"
    assert split.error_line == 2


def test_empty_front_matter_is_no_error() -> None:
    split = split_front_matter("---\n---\nbody\n")
    assert split.meta == {}
    assert split.error is None
    assert split.body == "body\n"


def test_yaml_is_loaded_safely() -> None:
    split = split_front_matter("---\nx: !!python/object/apply:os.system ['echo hi']\n---\nb\n")
    assert split.meta == {}
    assert split.error is not None
