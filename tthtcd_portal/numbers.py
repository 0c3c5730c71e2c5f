"""Numbers as officials expect them: percentages of a whole that add up to exactly 100 (largest-remainder
method), changes and shares.

Officials add the column of a table by hand; 55,2 + 43,7 + 1,1 must give 100,0, which independent
rounding does not guarantee. The one implementation for the rating distribution (evaluations) and the
dashboards and reports (reports).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar, overload

from django.utils import formats
from django.utils.formats import number_format

K = TypeVar("K")


@overload
def largest_remainder(counts: Mapping[K, int], decimals: int = 1) -> dict[K, Decimal]: ...
@overload
def largest_remainder(counts: Sequence[int], decimals: int = 1) -> list[Decimal]: ...


def largest_remainder(counts, decimals: int = 1):
    """Shares of `counts` in percent with `decimals` places, summing to exactly 100 (0 when all are 0).

    Each share is first rounded down to the last place; the places left over go one each to the shares
    with the largest remainders (ties: the larger count, then the earlier item). Accepts a list (returns a
    list) or a mapping (returns a dict with the same keys, same order).

    >>> largest_remainder([158, 125, 3])
    [Decimal('55.2'), Decimal('43.7'), Decimal('1.1')]
    """
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    keys = list(counts.keys()) if isinstance(counts, Mapping) else None
    values = [int(v) for v in (counts.values() if keys is not None else counts)]
    if any(v < 0 for v in values):
        raise ValueError("counts must not be negative")
    total = sum(values)
    scale = 10**decimals
    if total == 0:
        units = [0] * len(values)
    else:
        exact = [Fraction(v * 100 * scale, total) for v in values]
        units = [int(e) for e in exact]  # floor: all non-negative
        left = 100 * scale - sum(units)
        order = sorted(range(len(values)), key=lambda i: (-(exact[i] - units[i]), -values[i], i))
        for i in order[:left]:
            units[i] += 1
    quantum = Decimal(1).scaleb(-decimals)
    shares = [(Decimal(u) / scale).quantize(quantum) for u in units]
    return dict(zip(keys, shares, strict=True)) if keys is not None else shares


def point_change(current: Decimal | None, earlier: Decimal | None) -> Decimal | None:
    """Change in percentage points between two shown (already rounded) percentages, or None if one is missing."""
    if current is None or earlier is None:
        return None
    return current - earlier


def percent_change(current: int | None, base: int | None) -> Decimal | None:
    """Change of `current` on `base` in percent, one decimal; None when there is no base to compare with."""
    if current is None or not base:
        return None
    return (Decimal(current - base) * 100 / base).quantize(Decimal("0.1"))


def share(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal; None for an empty whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def format_points(value: Decimal) -> str:
    """5.00 → "5", 2.50 → "2,5" in Vietnamese: points (a rubric's, an assessment's) as people write them."""
    return formats.localize(Decimal(value).normalize())


def megabytes(size_bytes: int) -> str:
    """A file size in MB as people read it, one decimal in the interface language: "20,0" in Vietnamese
    (messages write the unit: "%(size)s MB")."""
    shown = (Decimal(size_bytes) / (1024 * 1024)).quantize(Decimal("0.1"))
    return number_format(shown, 1, use_l10n=True, force_grouping=True)
