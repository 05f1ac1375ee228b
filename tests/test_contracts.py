"""Public interfaces are contracts: changing one must change this file, on purpose."""

from __future__ import annotations

from planlint.cli import EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS
from planlint.engine.calendar_config import CalendarConfig, Cron, FreezeConfig, Weekly
from planlint.engine.config import Config, RuleConfig
from planlint.engine.packs import default_packs
from planlint.facts.frontmatter import FrontMatterData
from planlint.report.json_report import JsonFile, JsonReport, JsonViolation

RULES = {
    "PL001": "unknown-profile",
    "PL002": "read-error",
    "PL003": "invalid-front-matter",
    "PL004": "invalid-suppression",
    "PL005": "internal-error",
    "PL006": "profile-mismatch",
    "PL101": "missing-section",
    "PL102": "section-order",
    "PL103": "duplicate-section",
    "PL104": "empty-section",
    "PL105": "non-canonical-heading",
    "PL201": "unfilled-placeholder",
    "PL202": "prompt-leak",
    "PL301": "rollback-untested",
    "PL302": "pass-fail-criteria-missing",
    "PL303": "flag-validation-missing",
    "PL401": "friday-afternoon-window",
    "PL402": "window-missing-timezone",
    "PL403": "window-unparseable",
    "PL404": "window-in-freeze",
    "PL405": "window-conflict",
    "PL406": "too-many-concurrent-changes",
    "PL501": "missing-context-block",
    "PL502": "numbered-list-outside-steps",
    "PL601": "executive-summary-incomplete",
    "PL602": "executive-summary-impact-missing",
    "PL603": "approvals-missing",
    "PL604": "backup-before-migration-missing",
    "PL605": "preflight-incomplete",
    "PL606": "step-details-missing",
    "PL607": "verification-horizons-missing",
    "PL608": "rollback-thresholds-missing",
    "PL609": "rollback-procedure-incomplete",
    "PL610": "communication-incomplete",
    "PL611": "stakeholder-matrix-missing",
    "PL612": "post-deployment-incomplete",
    "PL613": "contingencies-incomplete",
    "PL614": "contingency-details-missing",
    "PL615": "contacts-incomplete",
    "PL616": "wishful-verification",
    "PL617": "security-approval-missing",
    "PL618": "staged-ramp-missing",
    "PL619": "rollback-rehearsal-undated",
    "PL701": "context-block-not-first",
    "PL702": "window-not-in-summary",
    "PL703": "flag-not-in-summary",
    "PL704": "summary-length",
    "PL705": "summary-incomplete",
    "PL706": "release-type-missing",
    "PL707": "prechecks-incomplete",
    "PL708": "production-gates-missing",
    "PL709": "backup-missing",
    "PL710": "steps-not-numbered",
    "PL711": "step-mode-missing",
    "PL712": "flag-ramp-missing",
    "PL713": "verification-incomplete",
    "PL714": "rollback-incomplete",
    "PL715": "detailed-rollback-missing",
    "PL716": "next-actions-incomplete",
    "PL717": "owners-missing",
    "PL718": "follow-ups-missing",
    "PL719": "flag-cleanup-missing",
    "PL720": "bullets-missing",
    "PL721": "path-reference-format",
    "PL801": "broken-reference",
    "PL802": "secret-in-plan",
}


def test_rule_codes_and_names_are_stable() -> None:
    shipped = {spec.code: spec.name for _, pack in default_packs() for spec in pack.rules}
    assert shipped == RULES


def test_profile_names_and_section_ids_are_stable() -> None:
    profiles = {
        p.profile.name: [s.id for s in p.profile.sections] for _, p in default_packs() if p.profile
    }
    assert profiles == {
        "rollout-plan": [
            "summary",
            "prerequisites",
            "preflight",
            "steps",
            "verification",
            "rollback",
            "communication",
            "post-deployment",
            "contingencies",
            "contacts",
        ],
        "deploy-plan": [
            "summary",
            "prechecks",
            "steps",
            "verification",
            "rollback",
            "next-actions",
        ],
    }


def test_json_report_fields_are_stable() -> None:
    assert list(JsonReport.model_fields) == ["version", "files", "summary"]
    # profile_source and profile_reason were added (first day: say where the profile came from).
    assert list(JsonFile.model_fields) == [
        "path",
        "profile",
        "profile_source",
        "profile_reason",
        "violations",
    ]
    assert list(JsonViolation.model_fields) == [
        "rule",
        "code",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "section",
        "fix",  # optional: present only when the violation has a fix
    ]


def test_config_and_front_matter_keys_are_stable() -> None:
    assert set(Config.model_fields) == {
        "profiles",
        "packs",
        "exclude",
        "select",
        "ignore",
        "fail_on",
        "rules",
        "calendar",
    }
    assert set(RuleConfig.model_fields) == {"severity", "options"}
    assert set(CalendarConfig.model_fields) == {
        "plans",
        "team_zones",
        "max_concurrent_production",
        "freezes",
    }
    assert set(FreezeConfig.model_fields) == {
        "name",
        "ics",
        "cron",
        "weekly",
        "window",
        "timezone",
        "environments",
    }
    assert set(Cron.model_fields) == {"freeze_start", "freeze_end", "cron_timezone"}
    assert set(Weekly.model_fields) == {"days", "start", "end"}
    assert set(FrontMatterData.model_fields) == {
        "profile",
        "environment",
        "risk",
        "change_type",
        "window",
        "timezone",
        "flag",
        "owner",
    }


def test_exit_codes() -> None:
    assert (EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE) == (0, 1, 2)
