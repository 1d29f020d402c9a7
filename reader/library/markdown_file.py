"""An article as a Markdown file with YAML front matter (title, date, link, source, tags…):
what `w` saves and what `|` pipes when `pipe_markdown` is on. Importing the file gives
the same article back."""

from __future__ import annotations

import os
import re
from pathlib import Path

from reader.library.body import readable
from reader.library.models import Article
from reader.library.views import EXTRA

NAME_CHARS = 60  # of the title, in a file's name


def markdown_file(article: Article) -> str:
    """Front matter, then the body as Markdown (an HTML post's converted, as shown)."""
    import yaml

    front: dict[str, object] = {"title": article.title}
    if article.date:
        front["date"] = article.date
    if article.url:
        front["link"] = article.url
    if article.source:
        front["source"] = article.source
    for name, values in (("categories", article.categories), ("tags", article.tags)):
        if values:
            front[name] = list(values)
    for kind in EXTRA:
        if names := article.extra.get(kind.name):
            front[kind.front[0]] = list(names) if len(names) > 1 else names[0]
    _, body = readable(article.kind, article.body, article.html)
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n\n{body.strip()}\n"


def file_name(article: Article) -> str:
    """`2024-03-01-央行发布通知.md`: the date, then the title with what file systems or
    shells trip on taken out (any script kept)."""
    title = re.sub(r"[\\/:*?\"<>|\x00-\x1f\x7f]+", " ", article.title)
    title = re.sub(r"\s+", "-", title.strip(" .-"))[:NAME_CHARS].strip("-") or "article"
    day = (article.date or "")[:10]
    return f"{day}-{title}.md" if re.fullmatch(r"\d{4}-\d\d-\d\d", day) else f"{title}.md"


def save(article: Article, target: Path) -> Path:
    """Write the article to `target` (a file, or a folder, made if need be, to put it in
    under `file_name`: a name with no suffix is one), never over a file that is there
    (`name-2.md`, …); returns the file written."""
    target = target.expanduser()
    if target.is_dir() or not target.suffix:
        target = target / file_name(article)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = markdown_file(article).encode("utf-8")
    stem, suffix = target.stem, target.suffix or ".md"
    for number in range(1, 1000):
        path = target if number == 1 else target.with_name(f"{stem}-{number}{suffix}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        return path
    raise FileExistsError(f"{target}: too many files of that name")
