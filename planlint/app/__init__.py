"""What a command does, for both front doors (the command line and the language server):
building a linter, linting files through the caches and workers, fixing, baselines, skeletons,
docs, schemas, policy tests and tree views."""
