"""planlint results → LSP messages: diagnostics, quick fixes, the fix-all action, hovers.

Pure functions of a lint result and the positions of the text it came from; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from planlint.app.catalogue import rule_markdown
from planlint.core.results import Edit, Fix, RuleInfo, Severity, Violation
from planlint.lsp.linting import ConfigProblem
from planlint.lsp.positions import Point, PositionMap
from planlint.lsp.protocol import types

SOURCE = "planlint"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.planlint"
CONFIG_ERROR_CODE = "config"

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def _position(point: Point) -> types.Position:
    return types.Position(line=point.line, character=point.character)


def violation_range(violation: Violation, positions: PositionMap) -> types.Range:
    start, end = positions.span(
        violation.line, violation.column, violation.end_line, violation.end_column
    )
    return types.Range(start=_position(start), end=_position(end))


def diagnostic(violation: Violation, positions: PositionMap) -> types.Diagnostic:
    return types.Diagnostic(
        range=violation_range(violation, positions),
        message=violation.message,
        severity=_SEVERITIES[violation.severity],
        code=violation.code,
        source=SOURCE,
        data={"rule": violation.rule, "fixable": violation.fix is not None},
    )


def config_diagnostic(problem: ConfigProblem, config_uri: str | None) -> types.Diagnostic:
    """One diagnostic on the document's first line: planlint cannot lint it until the config
    is fixed. It names the config file and line, and links there when the file exists."""
    where = types.Range(start=types.Position(line=0, character=0), end=types.Position(0, 0))
    related = None
    if config_uri is not None:
        line = max(problem.line - 1, 0)
        at = types.Range(start=types.Position(line, 0), end=types.Position(line + 1, 0))
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=config_uri, range=at), message=problem.message
            )
        ]
    return types.Diagnostic(
        range=where,
        message=f"planlint cannot lint this file: {problem}",
        severity=types.DiagnosticSeverity.Error,
        code=CONFIG_ERROR_CODE,
        source=SOURCE,
        related_information=related,
    )


def text_edit(edit: Edit, positions: PositionMap) -> types.TextEdit:
    start, end = positions.span(edit.line, edit.column, edit.end_line, edit.end_column)
    return types.TextEdit(
        range=types.Range(start=_position(start), end=_position(end)),
        new_text=positions.with_newlines(edit.text),
    )


def workspace_edit(
    uri: str,
    version: int | None,
    edits: Sequence[types.TextEdit],
    document_changes: bool,
) -> types.WorkspaceEdit:
    """A versioned document edit when the client takes one (a client must then refuse to apply
    it to a newer text), else the plain ``changes`` map every client understands."""
    if document_changes:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)]
        )
    return types.WorkspaceEdit(changes={uri: list(edits)})


def overlaps(first: types.Range, second: types.Range) -> bool:
    """Do two ranges share a position (touching ends count: a cursor at a word's end is on it)?"""
    return _key(first.start) <= _key(second.end) and _key(second.start) <= _key(first.end)


def _key(position: types.Position) -> tuple[int, int]:
    return position.line, position.character


def quick_fixes(
    violations: Iterable[Violation],
    wanted: types.Range,
    uri: str,
    version: int | None,
    positions: PositionMap,
    document_changes: bool,
) -> list[types.CodeAction]:
    """A ``quickfix`` action for each violation with a fix whose range touches ``wanted``."""
    actions = []
    for violation in violations:
        if violation.fix is None or not overlaps(violation_range(violation, positions), wanted):
            continue
        edits = [text_edit(edit, positions) for edit in violation.fix.edits]
        actions.append(
            types.CodeAction(
                title=f"{violation.fix.description} ({violation.code} {violation.rule})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic(violation, positions)],
                is_preferred=violation.fix.safe,
                edit=workspace_edit(uri, version, edits, document_changes),
            )
        )
    return actions


def _edit_span(edit: Edit) -> tuple[tuple[int, int], tuple[int, int]]:
    return (edit.line, edit.column), (edit.end_line, edit.end_column)


def compatible_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """Safe fixes, in order, without any whose edits overlap an earlier one's: LSP edits in one
    change must not overlap (two insertions at one point may, applied in order)."""
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    chosen = []
    for fix in fixes:
        if not fix.safe:
            continue
        spans = [_edit_span(edit) for edit in fix.edits]
        clash = any(
            start < other_end and other_start < end
            for start, end in spans
            for other_start, other_end in taken
        )
        if not clash:
            taken.extend(spans)
            chosen.append(fix)
    return chosen


def fix_all(
    violations: Iterable[Violation],
    uri: str,
    version: int | None,
    positions: PositionMap,
    document_changes: bool,
) -> types.CodeAction | None:
    """One ``source.fixAll.planlint`` action applying every safe fix that fits with the others;
    the rest are left for the next round (the file is linted again after the edit)."""
    fixes = compatible_fixes(v.fix for v in violations if v.fix is not None)
    if not fixes:
        return None
    edits = [text_edit(edit, positions) for fix in fixes for edit in fix.edits]
    count = f"{len(fixes)} fix" if len(fixes) == 1 else f"{len(fixes)} fixes"
    return types.CodeAction(
        title=f"planlint: apply all safe fixes ({count})",
        kind=FIX_ALL,
        edit=workspace_edit(uri, version, edits, document_changes),
    )


def hover(
    violations: Iterable[Violation],
    at: types.Position,
    rules: Mapping[str, RuleInfo],
    positions: PositionMap,
) -> types.Hover | None:
    """The documentation of the rules whose diagnostics cover ``at`` (what `planlint rule`
    shows), under each violation's own message."""
    point = types.Range(start=at, end=at)
    parts: list[str] = []
    shown: set[str] = set()
    first: types.Range | None = None
    for violation in violations:
        where = violation_range(violation, positions)
        if not overlaps(where, point):
            continue
        first = first or where
        part = f"**{violation.code}** `{violation.rule}`: {violation.message}"
        info = rules.get(violation.rule)
        if info is not None and violation.rule not in shown:
            shown.add(violation.rule)
            part += "\n\n" + rule_markdown(info)
        parts.append(part)
    if not parts:
        return None
    text = "\n\n---\n\n".join(parts)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=first,
    )
