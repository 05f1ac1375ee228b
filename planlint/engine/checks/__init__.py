"""The check kinds, one small module per family. Each module lists its kinds in ``KINDS``;
``planlint.engine.kinds`` gathers them into the table packs are checked against."""
