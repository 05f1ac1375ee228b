"""The public way to apply planlint's edits (the ``edits`` of a JSON report, or a ``Fix``) to
text, kept at this import path for tools outside planlint. The code lives in
``planlint.core.edits``; planlint itself imports it from there."""

from planlint.core.edits import (
    Applied,
    FixError,
    apply_edits,
    apply_fixes,
    apply_fixes_to_bytes,
    dominant_line_ending,
    line_ending,
    line_starts,
)
from planlint.core.results import Edit, Fix

__all__ = [
    "Applied",
    "Edit",
    "Fix",
    "FixError",
    "apply_edits",
    "apply_fixes",
    "apply_fixes_to_bytes",
    "dominant_line_ending",
    "line_ending",
    "line_starts",
]
