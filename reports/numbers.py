"""Numbers as officials expect them: percentages of a whole that add up to exactly 100,0%.

`largest_remainder` has the same signature and behaviour as `evaluations/percentages.py` (written on the
evaluations branch); the lead keeps one of the two at merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal


def largest_remainder(counts: Sequence[int], decimals: int = 1) -> list[Decimal]:
    """Percentages of `counts` rounded to `decimals` places that sum to exactly 100 (Hamilton's method).

    Each share is first rounded down; the units still missing go, one each, to the largest remainders
    (ties to the earlier position, so the result is deterministic). All zeros when the total is zero.

    >>> largest_remainder([158, 125, 3, 0])
    [Decimal('55.2'), Decimal('43.7'), Decimal('1.1'), Decimal('0.0')]
    """
    if any(c < 0 for c in counts):
        raise ValueError("counts must not be negative")
    step = Decimal(1).scaleb(-decimals)  # 0.1 for decimals=1
    total = sum(counts)
    if total == 0:
        return [Decimal(0).quantize(step) for _ in counts]
    units = 100 * 10**decimals  # 1000 tenths of a percent
    exact = [Decimal(c) * units / total for c in counts]
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    missing = units - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [(Decimal(f) * step).quantize(step) for f in floors]


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
