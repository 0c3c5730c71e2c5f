"""Whether a centre's year is locked, for the apps below evaluations (library, resources).

The lock is evaluations' rule (`evaluations.selectors.centre_year_is_locked`: the province approved the year's
rating). Apps above evaluations (courses) import it; apps between the registry and evaluations cannot, so
evaluations registers its check here when it loads (EvaluationsConfig.ready) and they ask through
`year_lock_refusal`. With no check registered (evaluations not installed) no year is locked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class YearLock:
    is_locked: Callable[..., bool]  # (*, centre_id, year) -> bool, one query
    message: Callable[[int], str]  # the refusal's Vietnamese text for a year


_registered: list[YearLock] = []


def year_lock_register(*, is_locked: Callable[..., bool], message: Callable[[int], str]) -> None:
    """Called once by the app that owns the lock (evaluations)."""
    lock = YearLock(is_locked=is_locked, message=message)
    if lock not in _registered:
        _registered.append(lock)


def year_lock_refusal(*, centre_id: int, years: Iterable[int]) -> str:
    """The refusal for the first locked year among `years`, "" when none is. One query per distinct year."""
    for year in sorted(set(years)):
        for lock in _registered:
            if lock.is_locked(centre_id=centre_id, year=year):
                return lock.message(year)
    return ""
