"""``planlint lsp``: diagnostics, quick fixes and rule hovers in editors (Language Server Protocol).

``positions`` and ``linting`` are plain planlint code; ``convert`` and ``server`` need pygls (the
``lsp`` extra), which they import through ``protocol`` and which only ``planlint lsp`` imports,
so ``planlint check`` never loads it. None of them loads the engine on import: ``linting`` does
on the first lint, so that the server answers ``initialize`` without waiting for it.
"""
