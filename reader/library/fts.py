"""The search index's view of text: how articles and query terms are tokenized.

FTS5's unicode61 tokenizer reads a whole run of Chinese as one token, and its trigram
tokenizer misses queries under three characters and costs ~3x the text in index. So the
text is rewritten before indexing: each run of CJK letters becomes its overlapping
bigrams plus its last character (`霍尼韦尔` -> `霍尼 尼韦 韦尔 尔`), so every character
position starts exactly one token. A query of n >= 2 CJK characters is then the phrase of
its n-1 bigrams, and a single character is a prefix query, answered by FTS5's prefix
index (without it, FTS5 merges every term that starts with the character: 85 ms for 业
at 100,000 articles, 1 ms with it; the prefix index is ~40% of the index): both match
exactly where a substring search would. Latin words go through unicode61 as usual (case and accents
folded). Both sides are folded first, character by character (fold.py: Traditional to
Simplified, full-width to ASCII), and a query is searched in each of its spellings. The
index is contentless: its input is rebuilt from the stored article whenever an article
changes, which keeps the library small.
"""

from __future__ import annotations

import re

from reader.library.fold import fold, spellings
from reader.library.text import lazy_pattern

CJK_LETTERS = (  # letters only: CJK punctuation separates tokens, as unicode61 does
    "\u3005\u3007\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff"
)


_CJK_RUN = lazy_pattern(f"[{CJK_LETTERS}]+")
_SEGMENT = lazy_pattern(f"[{CJK_LETTERS}]+|[^\\W_{CJK_LETTERS}]+", re.UNICODE)


COLUMNS = ("title", "body", "tags", "categories", "note")

CREATE = (
    "CREATE VIRTUAL TABLE search USING fts5(title, body, tags, categories, note,"
    " content='', tokenize='unicode61 remove_diacritics 2', prefix='1')"
)


# A run of CJK letters, across the line breaks of a paragraph wrapped in its source (HTML or
# text wrapped at 80 columns: `缩短到\n四十分钟` is one run, as a browser shows it).
_CJK_PARTS = lazy_pattern(f"([{CJK_LETTERS}]+(?:[ \t]*\n[ \t]*[{CJK_LETTERS}]+)*)")
_LINE_BREAK = lazy_pattern("[ \t]*\n[ \t]*")
_PAIR = str.__add__
TOKENS_ID = "runs-across-lines"  # how text becomes tokens: a change makes every index again


def index_text(text: str) -> str:
    """Text as the index sees it: folded, CJK runs as bigrams plus their last character."""
    return index_folded(fold(text)) if text else ""


def index_folded(text: str) -> str:
    """`index_text` of a text folded already (fold.fold)."""
    if not text:
        return ""
    parts = _CJK_PARTS.split(text)  # (text, run, text, run, ..., text)
    for i in range(1, len(parts), 2):  # (~20% faster than a function called per run)
        run = parts[i]
        if "\n" in run:
            run = _LINE_BREAK.sub("", run)
        parts[i] = f" {' '.join(map(_PAIR, run, run[1:]))} {run[-1]} "
    return "".join(parts)


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_term(text: str) -> str | None:
    """A query term as an FTS5 expression matching it as a substring (CJK) or words, in
    each of its spellings (fold.spellings: 回覆 is also searched as 回复)."""
    expressions = list(dict.fromkeys(e for form in spellings(text) if (e := _term(form))))
    if len(expressions) < 2:
        return expressions[0] if expressions else None
    return "(" + " OR ".join(expressions) + ")"


def _term(text: str) -> str | None:
    segments = _SEGMENT.findall(text)
    if not segments:
        return None
    tokens: list[str] = []
    prefix = text.endswith("*") and not _CJK_RUN.fullmatch(segments[-1])  # `infla*`
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if _CJK_RUN.fullmatch(segment):
            if len(segment) == 1:
                tokens.append(segment)
                prefix = prefix or last  # a lone last character may start a longer run
            else:
                tokens += [segment[i : i + 2] for i in range(len(segment) - 1)]
                if not last:  # the run must end where the next word starts
                    tokens.append(segment[-1])
        else:
            tokens.append(segment.lower())
    return _quote(" ".join(tokens)) + (" *" if prefix else "")
