"""What the commands print: text from article files, file names and folders reaches the
terminal as text only, never as escape sequences, controls or bidi overrides."""

from __future__ import annotations

import sys

from reader.library.text import clean_text, lazy_pattern

# JSON escapes C0 itself; these it would pass through raw.
_UNSAFE_IN_JSON = lazy_pattern(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def say(text: object = "", *, err: bool = False, end: str = "\n") -> None:
    """print(), cleaned."""
    print(clean_text(str(text)), file=sys.stderr if err else sys.stdout, end=end)


def say_json(value: object) -> None:
    """JSON, readable (Chinese stays as it is) and with every control escaped."""
    import json  # (not at start-up)

    text = json.dumps(value, ensure_ascii=False, indent=2)
    print(_UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match[0]):04x}", text))
