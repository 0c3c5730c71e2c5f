"""A per-process memo of at most a set number of entries (the SQL, statements and fragments kept per scope, key
or template: a few per centre, office and province, so the bound is only a guard against an unbounded key)."""

from __future__ import annotations


class Bounded(dict):
    """A dict that empties itself before it would hold more than `size` entries."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def keep(self, key, value):
        """`self[key] = value`, emptied first when full; returns `value`."""
        if key not in self and len(self) >= self.size:
            self.clear()
        self[key] = value
        return value
