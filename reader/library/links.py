"""A link target made absolute, as a browser would: what a Markdown post's links
(body.resolve_links) and an HTML post's (html_text.resolve_html_links) both need."""

from __future__ import annotations

import re
from urllib.parse import urljoin

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]{0,30}:")


def absolute(target: str, base: str | None) -> str:
    """One link target resolved as a browser would from `base`, else as it was."""
    if target.startswith(("http://", "https://", "#")):
        return target
    if target.startswith("//"):
        return "https:" + target
    if _SCHEME.match(target) or not base:
        return target
    try:
        return urljoin(base, target)
    except ValueError:
        return target
