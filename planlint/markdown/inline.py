"""Inline markup → plain text, for heading titles and text rules.

Only what a title needs: code spans keep their content, links and images keep their text,
emphasis markers, HTML tags and backslash escapes disappear, entities are decoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Container

_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# A link or image keeps its text; a bracket with no destination after it ("[optional]") is
# plain text unless the document defines it as a reference (``references``).
_INLINE_LINK = re.compile(r"!?\[([^\[\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_SHORTCUT = re.compile(r"!?\[([^\]]*)\]")
_AUTOLINK = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@)[^\s<>]*)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\\\w])([*_]{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w])", re.DOTALL)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PLACEHOLDER = "\x00"


def _label(text: str) -> str:
    return " ".join(text.casefold().split())


def plain_text(text: str, references: Container[str] = ()) -> str:
    """Strip inline Markdown from ``text`` (a heading's content, a table cell, a line)."""
    if not any(char in text for char in "`[]<>*_\\&!"):
        return text.strip()
    spans: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        content = match.group(2).replace("\n", " ")
        if content.startswith(" ") and content.endswith(" ") and content.strip():
            content = content[1:-1]
        spans.append(content)
        return _PLACEHOLDER

    text = _CODE_SPAN.sub(keep_code, text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _INLINE_LINK.sub(r"\1", text)
    if references:

        def shortcut(match: re.Match[str]) -> str:
            return match.group(1) if _label(match.group(1)) in references else match.group(0)

        text = _SHORTCUT.sub(shortcut, text)
    previous = None
    while previous != text:  # nested emphasis: ***a*** or **a _b_**
        previous = text
        text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    text = html.unescape(text)
    if spans:
        pieces = iter(spans)
        text = re.sub(_PLACEHOLDER, lambda _: next(pieces), text)
    return text.strip()
