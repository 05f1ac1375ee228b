"""``junit``: JUnit XML, one test case per file, for CI systems that display test reports.

A file fails when it has a finding at or above ``fail_on``; those findings form the
``<failure>`` text, and findings below the threshold go to ``<system-out>`` so they
stay visible without failing the build.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from planlint.core.frozen import lazy_pattern
from planlint.core.results import FileResult, Severity

from .common import concise_line, ordered, plural

# Characters XML 1.0 cannot carry at all, not even escaped. ElementTree would
# write them raw and produce a document no parser accepts.
_NOT_XML = lazy_pattern("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


class JunitFormatter:
    def __init__(self, out: TextIO, *, fail_on: Severity) -> None:
        self.out = out
        self.fail_on = fail_on
        self.suite = ET.Element("testsuite", name="planlint")
        self.tests = 0
        self.failures = 0

    def add(self, result: FileResult) -> None:
        self.tests += 1
        case = ET.SubElement(
            self.suite, "testcase", classname="planlint", name=_xml_text(result.path)
        )
        violations = ordered(result.violations)
        failing = [concise_line(result.path, v) for v in violations if v.severity >= self.fail_on]
        passing = [concise_line(result.path, v) for v in violations if v.severity < self.fail_on]
        if failing:
            self.failures += 1
            failure = ET.SubElement(
                case, "failure", message=plural(len(failing), "problem"), type="planlint"
            )
            failure.text = _xml_text("\n".join(failing))
        if passing:
            ET.SubElement(case, "system-out").text = _xml_text("\n".join(passing))

    def finish(self) -> None:
        counts = {"tests": self.tests, "failures": self.failures, "errors": 0, "skipped": 0}
        self.suite.attrib.update({key: str(value) for key, value in counts.items()})
        ET.indent(self.suite)
        # Declared by hand: asked for a str, ElementTree would declare the locale's
        # encoding (ANSI_X3.4-1968 under LANG=C); reports are meant to be UTF-8.
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(ET.tostring(self.suite, encoding="unicode") + "\n")
