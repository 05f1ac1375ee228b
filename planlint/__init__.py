"""planlint: a policy-as-code linter for rollout and deployment plans written in Markdown."""

__version__ = "0.1.0"
