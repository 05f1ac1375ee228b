"""Credentials pasted into a plan: keys, tokens, private keys, passwords, connection strings.

Every physical line is searched (prose, code, tables, front matter and HTML comments alike: a
secret in a comment leaks just the same). Findings name the kind of secret and where it is,
never the secret itself. What only points at a secret is not one: placeholders (``<password>``,
``${DB_PASSWORD}``, ``****``), secret-manager references (``vault:…``, ``op://…``) and secret
names (``password: checkout-db-password``).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, cast

from planlint.core.frozen import lazy_pattern
from planlint.engine.check_api import CheckContext, CheckKind, Finding
from planlint.markdown.nodes import Code, Document, FrontMatter, HtmlBlock, Table

if TYPE_CHECKING:  # the models validate packs; a check reads their fields
    from planlint.engine.options import NoOptions


class TokenKind(NamedTuple):
    kind: str
    pattern: re.Pattern[str]
    secret_group: int = 0  # the part that must not look masked ("AKIAXXXXXXXXXXXXXXXX")
    judge_value: bool = False  # the part may also be a placeholder or a reference
    hints: tuple[str, ...] = ()  # a line that can hold the secret holds one of these


_TOKENS = (
    TokenKind(
        "private key",
        lazy_pattern(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        hints=("PRIVATE KEY",),
    ),
    TokenKind(
        "AWS access key",
        lazy_pattern(
            r"(?<![A-Z0-9])((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})(?![A-Z0-9])"
        ),
        1,
        hints=("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"),
    ),
    TokenKind(
        "GitHub token",
        lazy_pattern(r"(?<![\w-])(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{22,255})(?![\w-])"),
        1,
        hints=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ),
    TokenKind(
        "GitLab token",
        lazy_pattern(r"(?<![\w-])(glpat-[A-Za-z0-9_-]{20,})(?![\w-])"),
        1,
        hints=("glpat-",),
    ),
    TokenKind(
        "Slack token",
        lazy_pattern(r"(?<![\w-])(xox[abposr]-[A-Za-z0-9-]{10,})(?![\w-])"),
        1,
        hints=("xox",),
    ),
    TokenKind(
        "Slack webhook URL",
        lazy_pattern(
            r"https://hooks\.slack\.com/services/(T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,})"
        ),
        1,
        hints=("hooks.slack.com",),
    ),
    TokenKind(
        "Google API key",
        lazy_pattern(r"(?<![\w-])(AIza[0-9A-Za-z_-]{35})(?![\w-])"),
        1,
        hints=("AIza",),
    ),
    TokenKind(
        "Stripe secret key",
        lazy_pattern(r"(?<![\w-])((?:sk|rk)_live_[0-9A-Za-z]{20,})(?![\w-])"),
        1,
        hints=("_live_",),
    ),
    TokenKind(
        "npm token", lazy_pattern(r"(?<![\w-])(npm_[A-Za-z0-9]{36})(?![\w-])"), 1, hints=("npm_",)
    ),
    TokenKind(
        "JSON Web Token",
        lazy_pattern(
            r"(?<![\w-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})(?![\w-])"
        ),
        1,
        hints=("eyJ",),
    ),
    TokenKind(
        "password on a command line",  # `mysql -uapp -ps3cr3t`: the value glued to -p
        lazy_pattern(r"\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n]*?\s-p([^\s'\"`]{4,})"),
        1,
        judge_value=True,
        hints=("mysql", "mariadb"),
    ),
    TokenKind(
        "password on a command line",  # `curl -u deploy:s3cr3t`, `--user deploy:s3cr3t`
        lazy_pattern(r"\bcurl\b[^\n]*?\s(?:-u|--user)[=\s]+[^\s:'\"`]+:([^\s'\"`@]{4,})"),
        1,
        judge_value=True,
        hints=("curl",),
    ),
    TokenKind(
        "HTTP credentials",  # `Authorization: Basic ZGVwbG95OnMzY3IzdA==`, `… Bearer …`
        lazy_pattern(r"\b[Aa]uthorization:\s*(?:Basic|Bearer|Token)\s+([A-Za-z0-9+/=._~-]{8,})"),
        1,
        judge_value=True,
        hints=("uthorization",),
    ),
    TokenKind(
        "password",  # "the admin password is Tr0ub4dor&3": a value with a digit, in prose
        lazy_pattern(
            r"\b[Pp]ass(?:word|phrase)\s+(?:is|was|=)\s*:?\s+[\"'`]?((?=[^\s\"'`]*\d)[^\s\"'`,;]{6,})"
        ),
        1,
        judge_value=True,
        hints=("assword", "assphrase"),
    ),
    TokenKind(
        "password in a connection string",
        lazy_pattern(r"\b[a-z][a-z0-9+.-]{1,30}://[^\s:/@'\"`<>]*:([^\s@/'\"`<>]+)@[\w.-]"),
        1,
        judge_value=True,
        hints=("://",),
    ),
)

# `DB_PASSWORD=…`, `password: …`, `"api_key": "…"`, `--password=…`: the key ends with one of
# these words (so `password_file`, `secret_name` and `max_tokens` are not secrets).
_SECRET_KEYS = (
    r"password|passwd|passphrase|(?<=[a-z0-9][_-])pass|(?<=[a-z0-9][_-])pwd|token|api[_-]?key|apikey|"
    r"access[_-]?key|secret[_-]?key|"
    r"client[_-]?secret|api[_-]?secret|app[_-]?secret|webhook[_-]?secret|private[_-]?key|"
    r"auth[_-]?key|credentials?"
)
# Every key above contains one of these (lower case), and so does every line to look at.
_KEY_HINTS = ("pass", "pwd", "token", "key", "secret", "cred")
_ASSIGNMENT = lazy_pattern(
    rf"""(?<![\w.-])(?P<key>[\w.-]*?(?:{_SECRET_KEYS}))(?:\*\*|__)?["']?
    \s*(?::=|=>|[:=])(?:\*\*|__)?\s*
    (?P<quote>["'`]?)(?P<value>[^\s"'`,;|)]+)""",
    re.IGNORECASE | re.VERBOSE,
)
# `mysql --password=hunter2`, `curl --token hunter2`
_FLAG = lazy_pattern(
    rf"""(?<![\w-])--(?P<key>[\w-]*?(?:{_SECRET_KEYS}))(?:=|\s+)
    (?P<quote>["']?)(?P<value>[^\s"'`,;|)]+)""",
    re.IGNORECASE | re.VERBOSE,
)
# `password:` (or `DB password:`, `password: |`) ending its line: the value may be the next line.
_KEY_ENDS_LINE = lazy_pattern(
    rf"""(?<![\w.-])(?P<key>[\w.-]*?(?:{_SECRET_KEYS}))(?:\*\*|__)?["']?
    \s*(?::=|=>|[:=])(?:\*\*|__)?\s*(?:[|>][+-]?)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# The next line holding nothing but one value (indented, quoted or in backticks).
_LONE_VALUE = lazy_pattern(
    r"""^\s*(?:[-*+]\s+)?(?P<quote>["'`]?)(?P<value>[^\s"'`]+)(?P=quote)\s*$"""
)
# Values that stand for a secret without being one.
_PLACEHOLDER = lazy_pattern(
    r"""^(?:<[^>]*>?|\$|%|\{|\[|\(|!|&|\*|\\|ENC\[|
    \.\.\.|…|-|_+$)""",
    re.VERBOSE,
)
_REFERENCE = lazy_pattern(
    r"""(?:^|[^a-z])(?:vault|op|ssm|secretsmanager|awssm|gcpsm|azkv|keyvault|sops|kms|env|environ|
    getenv|secretkeyref|valuefrom|lookup|file|ref\+\w+|arn:aws|projects/[\w-]+/secrets)(?:[:.(\[/]|$)
    |1password|lastpass|bitwarden|keepass|keychain|secrets?\.|\.values\.""",
    re.IGNORECASE | re.VERBOSE,
)
_NOT_A_VALUE = frozenset(
    """none null nil true false yes no required optional redacted hidden masked removed
    omitted unset empty set provided rotated rotate see from in stored changeme change_me
    example sample dummy test placeholder secret password token xxx n/a na tbd todo""".split()
)
_NAMED_AFTER_SECRET = lazy_pattern(r"password|passwd|secret|token|cred", re.IGNORECASE)
_DOTTED_NAME = lazy_pattern(r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_-]+)+")  # var.x, .Values.db.password
_KEY_BODY = lazy_pattern(r"[A-Za-z0-9+/]{24,}|Proc-Type:")
_VARIABLE_NAME = lazy_pattern(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")  # DB_PASSWORD: a variable
_TABLE_KEY = lazy_pattern(rf"(?:{_SECRET_KEYS}|\bapi key|\baccess key|\bsecret key)\W*$", re.I)


def looks_masked(secret: str) -> bool:
    """``AKIAXXXXXXXXXXXXXXXX``, ``****``, ``AKIAIOSFODNN7EXAMPLE``: shown, not leaked."""
    body = re.sub(r"^(?:[a-z]{2,4}_|[a-z]{2,6}-|AKIA|ASIA)", "", secret)
    if len(set(body.lower())) <= 3:
        return True
    return bool(re.search(r"example|x{6,}|\*{3,}|redacted|dummy|fake", secret, re.IGNORECASE))


def looks_like_value(value: str, *, in_code: bool) -> bool:
    """Is this the right-hand side of ``password: …`` a real credential?"""
    value = value.rstrip(".:")
    if len(value) < 4 or value.lower() in _NOT_A_VALUE or looks_masked(value):
        return False
    if _PLACEHOLDER.match(value) or _REFERENCE.search(value) or _VARIABLE_NAME.match(value):
        return False
    if re.search(r"\{\{|\$\{|\$\(|%\(|%\{|[<>]", value):
        return False  # templates, and types such as Option<String>
    if re.match(r"^(?:\.{0,2}/|~/)", value) or _DOTTED_NAME.fullmatch(value):
        return False  # a file (`/run/secrets/db`) or a variable (`var.service_account`)
    if _NAMED_AFTER_SECRET.search(value):
        return False  # `existingSecret: checkout-db-password` names the secret
    decoded = _base64_text(value)
    if decoded is not None and not looks_like_value(decoded, in_code=True):
        return False  # Kubernetes Secret data that decodes to "secret" or "example-…"
    if re.fullmatch(r"[A-Za-z]+", value):
        # A word: "Token: rotated" is prose. Mixed case inside a word ("LetMeIn") or a bare
        # word in code or config is a password.
        return in_code or bool(re.search(r"[a-z][A-Z]", value))
    return True


def _base64_text(value: str) -> str | None:
    """The text ``value`` encodes in base64, when it is base64 of printable text."""
    if len(value) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", value):
        return None
    try:
        text = base64.b64decode(value, validate=True).decode("ascii").strip()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text if text.isprintable() else None


def _key_body_follows(lines: list[str], number: int, after: str) -> bool:
    """A private key header with its key, not an elided one (``<omitted>``, ``...``)."""
    rest = after.split("-----END", 1)[0]
    if not rest.strip(" \t\"'\\n,") and number < len(lines):
        rest = lines[number]  # the key body starts on the next line
    return bool(_KEY_BODY.search(rest))


class Leak(NamedTuple):
    kind: str
    line: int
    start: int  # 0-based index into the physical line
    end: int


def _line_kinds(document: Document) -> dict[int, str]:
    """Where each line is, for the message: code, front matter, a table, an HTML comment."""
    kinds: dict[int, str] = {}
    top = [document.front_matter] if document.front_matter is not None else []
    for block in [*top, *document.body_blocks()]:
        if isinstance(block, Code):
            name = "a code block"
        elif isinstance(block, FrontMatter):
            name = "the front matter"
        elif isinstance(block, Table):
            name = "a table"
        elif isinstance(block, HtmlBlock):
            name = "an HTML block"
        else:
            continue
        for number in range(block.start_line, block.end_line + 1):
            kinds[number] = name
    return kinds


class _Joined:
    """A document's lines joined once, to find the lines holding a hint: a secret's pattern
    can match only there. A regex that starts with a lookbehind is tried at every character;
    ``str.find`` is not, and most documents hold none of the hints at all."""

    def __init__(self, lines: list[str], fold_case: bool = False) -> None:
        self.text = "\n".join(line.lower() for line in lines) if fold_case else "\n".join(lines)

    def lines_with(self, hints: Sequence[str]) -> set[int]:
        """The numbers (1-based) of the lines holding one of ``hints``."""
        text = self.text
        found: set[int] = set()
        for hint in hints:
            number, counted = 1, 0  # newlines before ``counted`` are in ``number``
            at = text.find(hint)
            while at != -1:
                number += text.count("\n", counted, at)
                found.add(number)
                counted = text.find("\n", at)  # the line is in: on to the next
                at = -1 if counted == -1 else text.find(hint, counted + 1)
        return found


def find_leaks(lines: list[str], kinds: dict[int, str]) -> Iterator[Leak]:
    joined = _Joined(lines)
    touched = [joined.lines_with(token.hints) for token in _TOKENS]
    assignments = _Joined(lines, fold_case=True).lines_with(_KEY_HINTS)
    tables = {number for number, where in kinds.items() if where == "a table"}
    suspects = set().union(*touched, assignments, tables)
    for number in sorted(suspects):
        text = lines[number - 1]
        if len(text) > 100_000:
            text = text[:100_000]  # a minified blob: its start is enough, and it stays linear
        where = kinds.get(number, "prose")
        taken: list[tuple[int, int]] = []
        for token, lines_with_it in zip(_TOKENS, touched, strict=False):
            if number not in lines_with_it:
                continue
            for match in token.pattern.finditer(text):
                secret = match.group(token.secret_group)
                if token.judge_value and not looks_like_value(secret, in_code=True):
                    continue
                if token.secret_group and looks_masked(secret):
                    continue
                if token.kind == "private key" and not _key_body_follows(
                    lines, number, text[match.end() :]
                ):
                    continue
                if _free(taken, match.start(), match.end()):
                    taken.append((match.start(), match.end()))
                    yield Leak(token.kind, number, match.start(), match.end())
        in_code = where != "prose"
        if number not in assignments:
            matches = []
        else:
            matches = [*_ASSIGNMENT.finditer(text), *_FLAG.finditer(text)]
        for match in sorted(matches, key=lambda found: found.start()):
            quoted = bool(match.group("quote"))
            value = match.group("value")
            if not quoted and value.isalpha() and re.match(r"\s+[A-Za-z]", text[match.end() :]):
                continue  # "token: failed to log on": a sentence, not an assignment
            if not looks_like_value(value, in_code=in_code or quoted):
                continue
            if _free(taken, match.start(), match.end()):
                taken.append((match.start(), match.end()))
                yield Leak(_kind_of_key(match.group("key")), number, match.start(), match.end())
        if where == "a table":
            yield from _table_leaks(text, number, taken)
        elif number in assignments and not taken and (label := _KEY_ENDS_LINE.search(text)):
            following = _value_on_next_line(lines, number, kinds)
            if following is not None:
                yield following._replace(kind=_kind_of_key(label["key"]))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _value_on_next_line(lines: list[str], number: int, kinds: dict[int, str]) -> Leak | None:
    """``password:`` at the end of a line, and on the next non-blank line a lone value that
    looks like a credential (a sentence there, "stored in Vault", is not one)."""
    after = number
    while after < len(lines) and not lines[after].strip():
        after += 1
    if after >= len(lines) or after - number > 1:
        return None  # the next line, or the one after a blank: further is another thought
    match = _LONE_VALUE.match(lines[after][:1000])
    if match is None or match.group("value").endswith(":"):
        return None  # another key (`token:` below `password:` in an empty YAML template)
    in_code = kinds.get(after + 1, "prose") != "prose"
    if in_code and _indent(lines[after]) <= _indent(lines[number - 1]):
        return None  # in code, a value belongs to the key above only when indented under it
    in_code = in_code or bool(match.group("quote"))
    if not looks_like_value(match.group("value"), in_code=in_code):
        return None
    return Leak("", after + 1, match.start("value"), match.end("value"))


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """No earlier finding on the line overlaps ``start:end`` (a token inside an assignment)."""
    return not any(start < e and s < end for s, e in taken)


def _table_leaks(text: str, number: int, taken: list[tuple[int, int]]) -> Iterator[Leak]:
    """``| DB password | hunter2 |``: a cell that names a secret, then its value."""
    cells = [(m.start(1), m.group(1)) for m in re.finditer(r"\|?([^|]+)", text)]
    for (_, key), (start, value) in itertools.pairwise(cells):
        stripped = value.strip().strip("`")
        label = key.strip().strip("*`")
        if not _TABLE_KEY.search(label) or len(label.split()) > 3 or " " in stripped:
            continue  # a label cell ("DB password") next to a single value
        if not looks_like_value(stripped, in_code=value.strip().startswith("`")):
            continue
        begin = start + value.index(stripped[0]) if stripped else start
        if _free(taken, begin, begin + len(stripped)):
            yield Leak(_kind_of_key(key), number, begin, begin + len(stripped))


def _kind_of_key(key: str) -> str:
    lowered = key.lower().replace("-", "_")
    for word, kind in (
        ("pass", "password"),
        ("pwd", "password"),
        ("token", "token"),
        ("private", "private key"),
        ("secret", "secret"),
        ("key", "API key"),
        ("cred", "credential"),
    ):
        if word in lowered:
            return kind
    return "secret"


def document_leaks(document: Document) -> tuple[tuple[Leak, ...], dict[int, str]]:
    """The credentials in a document, and where each line is (code, a table, prose …). Kept
    on the document: the check and the masking both ask. (Not in a cache of its own, which
    would keep the last documents alive, for the collector to scan again and again.)"""
    found = document.derived.get("leaks")
    if found is None:
        kinds = _line_kinds(document)
        found = document.derived["leaks"] = (tuple(find_leaks(document.lines, kinds)), kinds)
    return cast("tuple[tuple[Leak, ...], dict[int, str]]", found)


def secrets_in_plan(ctx: CheckContext, options: NoOptions) -> Iterator[Finding]:
    """Credentials anywhere in the file; the message says what and where, never the value."""
    leaks, kinds = document_leaks(ctx.document)
    for leak in leaks:
        yield Finding(
            leak.line,
            leak.start + 1,
            leak.line,
            leak.end + 1,
            {"kind": leak.kind, "where": kinds.get(leak.line, "prose")},
        )


# The check kinds this module provides: the table in planlint.engine.kinds lists them.
KINDS = (CheckKind("secrets", secrets_in_plan, None, scoped=False),)
