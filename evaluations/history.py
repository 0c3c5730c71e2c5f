"""An assessment's history as people read it: "Tiêu chí 1.2: 4 → 4,5", "Tổng điểm tự đánh giá: – → 87,5",
"Xếp loại đề xuất: Khá (theo ngưỡng)" — never a field name or a rating's code. The one reading of
`AssessmentEvent.changes`, used by the assessment page and the audit trail (reports/audit.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from evaluations.models import Assessment, AssessmentEvent, Rating
from tthtcd_portal.numbers import format_points

POINTS = {"self_score", "review_score"}
RATINGS = {"proposed_rating", "rating"}


@dataclass(frozen=True)
class HistoryChange:
    label: str
    old: str
    new: str
    note: str = ""  # said instead of "old → new" when that reads better


def _points(value) -> str:
    """Points as stored, either "87.5" or (rows written before) "87,5" → "87,5" in Vietnamese."""
    if value in (None, ""):
        return ""
    try:
        return format_points(Decimal(str(value).replace(",", ".")))
    except InvalidOperation:
        return str(value)


def _rating(value) -> str:
    return str(Rating(value).label) if value in Rating.values else str(value or "")


def _label(name: str) -> str:
    if name == "file":
        return _("Tệp đính kèm")
    if name == "criterion":
        return _("Minh chứng cho tiêu chí")
    try:
        return capfirst(str(Assessment._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:  # a criterion's code such as "1.2"
        return _("Tiêu chí %(code)s") % {"code": name}


def event_changes(event: AssessmentEvent) -> list[HistoryChange]:
    """What one event changed, in Vietnamese, points formatted, ratings by name. No query."""
    lines = []
    for name, pair in sorted((event.changes or {}).items(), key=lambda item: (item[0] in POINTS | RATINGS, item[0])):
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
        if name == "proposed_rating" and event.action == AssessmentEvent.Action.PROPOSE:
            # [the thresholds' rating, the proposed one]
            if old == new or not old:
                lines.append(
                    HistoryChange(_label(name), "", _rating(new), _("%(r)s (theo ngưỡng)") % {"r": _rating(new)})
                )
            else:
                note = _("%(r)s (theo ngưỡng: %(t)s)") % {"r": _rating(new), "t": _rating(old)}
                lines.append(HistoryChange(_label(name), _rating(old), _rating(new), note))
            continue
        if name in RATINGS:
            lines.append(HistoryChange(_label(name), _rating(old), _rating(new)))
        elif name in ("file", "criterion"):
            lines.append(HistoryChange(_label(name), "", str(new or ""), str(new or "")))
        else:
            lines.append(HistoryChange(_label(name), _points(old), _points(new)))
    return lines
