"""The rule catalogue as text: the Markdown table of `planlint rules --markdown` and one rule's
documentation, which `planlint rule NAME` and the editor's hover both show."""

from __future__ import annotations

from collections.abc import Sequence

from planlint.core.results import RuleInfo


def markdown_table(catalogue: Sequence[RuleInfo]) -> str:
    lines = ["| Code | Name | Profiles | Severity | What it checks |", "|---|---|---|---|---|"]
    for info in catalogue:
        profiles = ", ".join(info.profiles) or "all"
        lines.append(
            f"| {info.code} | `{info.name}` | {profiles} | {info.severity.label} | {info.summary} |"
        )
    return "\n".join(lines) + "\n"


def rule_markdown(found: RuleInfo) -> str:
    """A rule's documentation as Markdown: `planlint rule NAME` and the editor hover show it."""
    profiles = ", ".join(found.profiles) or "all profiles"
    return (
        f"# {found.name} ({found.code})\n\n"
        f"*{found.summary}*  \n"
        f"Default severity: **{found.severity.label}** · Profiles: {profiles}\n\n"
        f"## What it does\n\n{found.what}\n\n## Why it matters\n\n{found.why}\n\n"
        f"## Example\n\n```markdown\n{found.example.rstrip()}\n```\n\n"
        f"## How to fix\n\n{found.fix}\n"
    )
