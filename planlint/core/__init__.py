"""Shared building blocks that know nothing of plans: reading files and YAML, paths, the result
records (violations, fixes, severities), edits, errors, the caches' plumbing."""
