"""The rule engine: packs, checks, configuration, suppressions."""
