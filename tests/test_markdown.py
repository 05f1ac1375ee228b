"""The section tree: structure, spans, and the odd inputs real files contain."""

from __future__ import annotations

import pytest

from planlint.core.source import ReadError, decode
from planlint.markdown import Code, HtmlBlock, ListBlock, Paragraph, Table, parse
from planlint.markdown.headings import normalize_title, numbering_prefix
from planlint.markdown.nodes import walk_blocks

PLAN = """\
---
profile: deploy-plan
---
Intro paragraph.

# Title
## 1. First
Text under first.
```sh
## not a heading
```
<!--
## not a heading either
-->
### Sub
- a
- b
  1. nested
## Second
Setext
------
"""


def test_sections_nest_by_level_with_spans() -> None:
    document = parse(PLAN)
    assert document.front_matter is not None
    assert document.front_matter.text == "profile: deploy-plan"
    assert [block.kind for block in document.blocks] == ["paragraph", "blank"]
    (title,) = document.sections
    assert (title.level, title.title, title.start_line, title.end_line) == (1, "Title", 6, 21)
    first, second, setext = title.subsections
    assert (first.title, first.number, first.normalized) == ("1. First", "1.", "first")
    assert (first.start_line, first.end_line) == (7, 18)
    assert [s.title for s in first.subsections] == ["Sub"]
    assert second.subsections == [] and setext.heading.setext and setext.level == 2
    assert [h.title for h in document.headings()] == [
        "Title",
        "1. First",
        "Sub",
        "Second",
        "Setext",
    ]


def test_code_and_comments_hide_headings() -> None:
    document = parse(PLAN)
    kinds = [block.kind for block in walk_blocks(document.sections[0].subsections[0].blocks)]
    assert kinds == ["paragraph", "code", "html"]
    code = next(b for b in walk_blocks([document.sections[0]]) if isinstance(b, Code))
    assert code.info == "sh" and code.text == "## not a heading"
    html = next(b for b in walk_blocks([document.sections[0]]) if isinstance(b, HtmlBlock))
    assert html.is_comment


def test_lists_items_and_task_boxes() -> None:
    document = parse("- [ ] open\n- [x] done\n  1. nested\n     2. more\n")
    (block,) = document.blocks
    assert isinstance(block, ListBlock) and not block.ordered
    assert [item.checked for item in block.items] == [False, True]
    nested = block.items[1].children[1]
    assert isinstance(nested, ListBlock) and nested.ordered and nested.start == 1


def test_table_cells_with_positions() -> None:
    document = parse("| Key | Value |\n|---|:--:|\n| NOTES | a \\| b |\n")
    (table,) = document.blocks
    assert isinstance(table, Table)
    assert [c.text for c in table.header] == ["Key", "Value"]
    cell = table.rows[0][1]
    assert (cell.text, cell.line, cell.column) == ("a | b", 3, 11)


def test_crlf_bom_and_tabs_keep_editor_columns() -> None:
    source = decode(b"\xef\xbb\xbf## Rollback\r\n-\titem\r\n")
    assert source.bom == b"\xef\xbb\xbf"
    document = parse(source.text)
    section = document.sections[0]
    assert section.title == "Rollback" and section.end_line == 2
    paragraph = next(b for b in walk_blocks(section.blocks) if isinstance(b, Paragraph))
    assert paragraph.lines[0].text == "item" and paragraph.lines[0].column == 3


def test_cr_only_line_endings() -> None:
    document = parse("## A\rtext\r## B\r")
    assert [s.title for s in document.sections] == ["A", "B"]


def test_unterminated_front_matter_and_fence() -> None:
    document = parse("---\ntitle: x\n## Heading\n```\nunclosed")
    assert document.front_matter is None and document.front_matter_unterminated
    code = next(b for b in walk_blocks(document.body()) if isinstance(b, Code))
    assert code.text == "unclosed"


@pytest.mark.parametrize("text", ["", "\n\n", "---\n---\n", "#", "> ", "-", "1.", "```"])
def test_tiny_inputs_parse(text: str) -> None:
    parse(text)


def test_deep_nesting_does_not_recurse() -> None:
    depth = 1000
    text = "".join("  " * level + "- item\n" for level in range(depth))
    text += "".join(">" * 3000 + " quote\n")
    document = parse(text)
    assert sum(1 for b in walk_blocks(document.blocks) if isinstance(b, ListBlock)) == depth


def test_heading_normalisation() -> None:
    assert numbering_prefix("Step 3: Deploy") == ("Step 3:", "Deploy")
    assert numbering_prefix("2) Rollback") == ("2)", "Rollback")
    assert normalize_title("4. Verification & Observability") == "verification and observability"
    assert normalize_title("Pre-Deployment Checks!") == "pre deployment checks"


def test_decode_errors_name_the_byte() -> None:
    with pytest.raises(ReadError, match="byte offset 7"):
        decode(b"abc\ndef\xe9")
    with pytest.raises(ReadError, match="binary"):
        decode(b"a\x00b")
    assert decode("## Ünïcode".encode("utf-16")).text == "## Ünïcode"
