"""``planlint lsp``: diagnostics, quick fixes and rule hovers in editors (Language Server Protocol).

``positions`` and ``linting`` are plain planlint code; ``convert`` and ``server`` need pygls (the
``lsp`` extra), which only ``planlint lsp`` imports, so ``planlint check`` never loads it.
"""
