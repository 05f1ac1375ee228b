"""secret-in-plan (PL802): what counts as a secret, what only points at one, and that no report
repeats the secret it found. The rule's plan-shaped cases are in rules/cases/secret-in-plan.yaml.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.engine.checks.secrets import _Joined, find_leaks, looks_masked
from tests.helpers import first_fast, run_planlint

# Built from pieces so that this file does not itself look like it holds live credentials.
GITHUB_TOKEN = "ghp_" + "Zq8Wm2Rt5Yp9Lk3Nv7Bx4Cd6Fg1Hj0Ks2Qa4"
AWS_KEY = "AKIA" + "Z7QW3RT5YU8IOP2L"
PASSWORD = "Tr0ub4dor&3"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (f"token {GITHUB_TOKEN}", "GitHub token"),
        (f"AWS_ACCESS_KEY_ID={AWS_KEY}", "AWS access key"),
        ("glpat-" + "x7Yz9Ab3Cd5Ef7Gh9Ij1", "GitLab token"),
        ("xoxb-" + "2841-9127-Ab3dE5fG7hI9", "Slack token"),
        ("sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "Stripe secret key"),
        ("-----BEGIN EC PRIVATE KEY----- MHcCAQEEIIGlRHnNeoHyxjyJ2FnBlnLhsC", "private key"),
        ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.Qm9ndXNTaWduYXR1cmU", "JSON Web Token"),
        ("redis://:s3cretP4ss@cache.internal:6379/0", "password in a connection string"),
        ("password: hunter2", "password"),
        ("export PGPASSWORD='s3cr3t!'", "password"),
        ('"api_key": "AbC123xyz987"', "API key"),
        ("curl --token 9f8e7d6c5b4a https://api.internal", "token"),
        ("client_secret = Zx81!Qe", "secret"),
        ("password: LetMeIn", "password"),  # mixed case inside a word is no English word
        (f'DB_PASS: "{PASSWORD}"', "password"),
        ("DB_PWD=Zx81Qe12", "password"),
        ("mysql -uapp -pZx81Qe12 orders", "password on a command line"),
        ("curl -u deploy:Zx81Qe12 https://api.internal/v1", "password on a command line"),
        ("Authorization: Basic ZGVwbG95Olp4ODFRZTEy", "HTTP credentials"),
        ("the admin password is Zx81Qe12 until Friday", "password"),
    ],
)
def test_secrets_are_found_with_their_kind(line: str, kind: str) -> None:
    [leak] = find_leaks([line], {})
    assert leak.kind == kind


@pytest.mark.parametrize(
    "line",
    [
        # words that share a key's letters, and the forms above left to a reference
        "- Pass: login success ≥ 97% (baseline 97.6%), 5xx < 0.2%",
        "bypass: enabled",
        "mysql -p orders",
        'curl -u "$USER:$PASS" https://api.internal',
        "Authorization: Bearer <token>",
        "the password is in Vault at secret/checkout/db",
        "the password is rotated every 90 days",
        # placeholders
        "password: <password>",
        "password: ${DB_PASSWORD}",
        "DB_PASSWORD=$DB_PASSWORD",
        "password: '****'",
        "password: xxxxxxxx",
        "password: changeme",
        "token: {{ secrets.DEPLOY_TOKEN }}",
        'password: "{{ .Values.db.password }}"',
        "password=$(cat /run/secrets/db)",
        "password: ENC[AES256_GCM,data:Tr0ub4,type:str]",
        "postgres://app:${DB_PASSWORD}@db/app",
        "postgres://app:<password>@db/app",
        "postgres://app:****@db/app",
        # references to a secret manager or to a secret by name
        "password: vault:secret/data/checkout#password",
        "token: op://deploy/checkout/token",
        "password: !vault |",
        "password: 1Password",
        "existingSecret: checkout-db-password",
        "password: DB_PASSWORD",
        # prose about secrets, and keys that are not secrets
        "The password is in 1Password.",
        "Rotate the password after the window.",
        "Password: stored in Vault under secret/checkout/db.",
        "Token: rotated on 2026-11-20.",
        "password: required",
        "max_tokens: 4096",
        "password_file: /run/secrets/db",
        "Open https://user@example.com/login to reset it.",
        # documentation examples and masked values
        "AKIAIOSFODNN7EXAMPLE",
        '"private_key": "-----BEGIN PRIVATE KEY-----\\n ... \\n-----END PRIVATE KEY-----"',
        "clientSecret: ZXhhbXBsZS1hcHAtc2VjcmV0",  # base64 of "example-app-secret"
        "credentials = var.gcp_service_account",
        "token := 1*<any CHAR except SPACE>",
        "ghp_" + "X" * 36,
    ],
)
def test_what_only_points_at_a_secret_is_not_one(line: str) -> None:
    assert list(find_leaks([line], {})) == []


def test_a_word_counts_as_a_password_in_code_but_not_in_prose() -> None:
    assert list(find_leaks(["Password: hunter"], {})) == []
    assert [leak.kind for leak in find_leaks(["password: hunter"], {1: "a code block"})] == [
        "password"
    ]


def test_a_private_key_needs_its_body() -> None:
    header = "-----BEGIN RSA PRIVATE KEY-----"
    body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"
    assert [leak.line for leak in find_leaks([header, body], {})] == [1]
    assert list(find_leaks([header, "<omitted>", "-----END RSA PRIVATE KEY-----"], {})) == []


def test_code_output_that_mentions_a_token_is_not_a_secret() -> None:
    lines = [
        "failed to create user process token: failed to logon user",
        "for _, token := range x {",
    ]
    assert list(find_leaks(lines, {1: "a code block", 2: "a code block"})) == []


def test_masked_values() -> None:
    assert looks_masked("AKIA" + "X" * 16)
    assert looks_masked("********")
    assert not looks_masked(AWS_KEY)


PLAN = f"""\
---
profile: deploy-plan
db_password: "{PASSWORD}"
---
# Deployment plan

- NOTES: checkout v2.14
- ENVIRONMENT: production

## Deployment Steps

1. Export `GITHUB_TOKEN={GITHUB_TOKEN}`.

```sh
aws configure set aws_access_key_id {AWS_KEY}
```

| Setting | Value |
|---|---|
| DB password | {PASSWORD} |
"""


@pytest.mark.parametrize("output_format", ["json", "sarif", "concise", "github", "junit"])
def test_reports_name_the_secret_but_never_repeat_it(tmp_path: Path, output_format: str) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN, encoding="utf-8")
    result = run_planlint(
        "check", "--select", "secret-in-plan", "--format", output_format, "plan.md", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    for secret in (GITHUB_TOKEN, AWS_KEY, PASSWORD):
        assert secret not in result.stdout
    assert "secret-in-plan" in result.stdout
    if output_format == "json":
        [file] = json.loads(result.stdout)["files"]
        found = [(v["line"], v["message"].split(":")[0]) for v in file["violations"]]
        assert found == [
            (3, "password in the front matter"),
            (12, "GitHub token in prose"),
            (15, "AWS access key in a code block"),
            (20, "password in a table"),
        ]


@given(
    lines=st.lists(st.text(alphabet="abKEYİı\u0130\t x_-", max_size=12), max_size=8),
    hints=st.lists(st.text(alphabet="abKEYk_-", min_size=1, max_size=3), min_size=1, max_size=3),
    fold_case=st.booleans(),
)
def test_lines_holding_a_hint_are_those_a_line_by_line_search_finds(
    lines: list[str], hints: list[str], fold_case: bool
) -> None:
    fold = str.lower if fold_case else str
    expected = {
        number
        for number, line in enumerate(lines, start=1)
        if any(hint in fold(line) for hint in hints)
    }
    assert _Joined(lines, fold_case).lines_with(hints) == expected


SECRET_PLAN = """\
- NOTES: ship v2
- ENVIRONMENT: production
- WINDOW: Tue 2026-12-08 10:00 password: hunter2hunter2
## Deployment Summary
- TODO: rotate ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 after
"""


@pytest.mark.parametrize("output", ["full", "concise", "github", "sarif", "json", "gitlab"])
def test_no_output_ever_holds_a_detected_secret(tmp_path: Path, output: str) -> None:
    """Messages quote plan text (a window, a placeholder's line) and `full` shows lines: the
    secret is masked in all of them, in a cold run and in one answered by the cache."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "plan.md").write_text(SECRET_PLAN, encoding="utf-8")
    for _ in range(2):  # cold, then from the result cache
        result = run_planlint("check", f"--format={output}", "plan.md", cwd=tmp_path)
        shown = result.stdout + result.stderr
        assert "secret-in-plan" in shown or "PL802" in shown
        assert "hunter2hunter2" not in shown and "ghp_a1B2" not in shown, shown
    baseline = tmp_path / "baseline.json"
    run_planlint("check", "--write-baseline", str(baseline), "plan.md", cwd=tmp_path)
    text = baseline.read_text(encoding="utf-8")
    assert "hunter2hunter2" not in text and "ghp_a1B2" not in text
    for cached in (tmp_path / ".planlint_cache").rglob("*.json"):
        assert "hunter2hunter2" not in cached.read_text(encoding="utf-8")


TOKEN = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
OTHER_TOKEN = "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"  # the same length: the same mask
# Plans whose findings quote the text a secret is in: each rule named must fire, with the
# secret masked in its message.
QUOTING_PLANS = {
    "unknown-profile": f"---\nprofile: {TOKEN}\n---\n# Plan\n",
    "broken-reference": (
        "---\nprofile: deploy-plan\n---\n# Deployment plan\n\n"
        f"- NOTES: see `docs/{TOKEN}.md` and [the runbook](docs/{TOKEN}/run.md)\n"
    ),
    "invalid-suppression": (
        "---\nprofile: deploy-plan\n---\n# Deployment plan\n"
        f"<!-- planlint-disable {TOKEN} -->\n- NOTES: x\n"
    ),
    "non-canonical-heading": (
        f"---\nprofile: rollout-plan\n---\n# Rollout plan\n\n## Pre-flight checks for {TOKEN}\n"
    ),
    "window-unparseable": (
        "---\nprofile: deploy-plan\n---\n# Deployment plan\n- NOTES: x\n"
        f"- WINDOW: sometime next week, ask {TOKEN} and the team, after the freeze ends\n"
    ),
}


def quoting_repo(root: Path, token: str = TOKEN) -> Path:
    (root / ".git").mkdir(parents=True)
    (root / "docs").mkdir()  # a missing file in a folder that exists: a broken reference
    for rule, text in QUOTING_PLANS.items():
        (root / f"{rule}.md").write_text(text.replace(TOKEN, token), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "output", first_fast(["full", "concise", "github", "sarif", "json", "gitlab"])
)
def test_messages_that_quote_plan_text_mask_the_secret(tmp_path: Path, output: str) -> None:
    quoting_repo(tmp_path)
    fired = run_planlint("check", "--no-cache", "--format=json", ".", cwd=tmp_path)
    for file in json.loads(fired.stdout)["files"]:
        rule = file["path"].removesuffix(".md")
        quoted = [v for v in file["violations"] if v["rule"] == rule]
        assert quoted and all("****" in v["message"] for v in quoted), (rule, file)
    shown = run_planlint("check", "--no-cache", f"--format={output}", ".", cwd=tmp_path)
    assert TOKEN not in shown.stdout + shown.stderr
    assert "a1B2c3D4" not in shown.stdout + shown.stderr  # nor any part of it


def test_the_language_server_shows_the_secret_masked(tmp_path: Path) -> None:
    from planlint.lsp.convert import diagnostic
    from planlint.lsp.linting import DocumentLinter
    from planlint.lsp.positions import PositionMap

    quoting_repo(tmp_path)
    linter = DocumentLinter()
    for rule, text in QUOTING_PLANS.items():
        path = tmp_path / f"{rule}.md"
        outcome = linter.lint(text, path, path.name, tmp_path)
        assert outcome.result is not None
        assert any(v.rule == rule for v in outcome.result.violations)
        positions = PositionMap(text, "utf-16")
        for violation in outcome.result.violations:
            sent = repr(diagnostic(violation, positions)) + repr(violation.fix)
            assert "a1B2c3D4" not in sent, sent


def test_fingerprints_are_taken_from_the_masked_line(tmp_path: Path) -> None:
    """A fingerprint is a hash of the finding's line: of the line with the secret in it, the
    hash would stand for the secret (and change when it is rotated)."""
    reports = []
    for name, token in (("one", TOKEN), ("two", OTHER_TOKEN)):
        root = quoting_repo(tmp_path / name, token)
        result = run_planlint("check", "--no-cache", "--format=gitlab", ".", cwd=root)
        reports.append(
            sorted((item["check_name"], item["fingerprint"]) for item in json.loads(result.stdout))
        )
    assert reports[0] == reports[1]
