"""Writes of resources mobilised: contributions, one by one or from a spreadsheet.

Every write refuses a user who may not change the centre (403; a merged or dissolved centre says so) and a year
the province has locked (centres.year_lock). Equipment received joins the centre's facilities: the contribution
adds a centres.Equipment item in the same transaction and links to it; archiving the contribution archives the
item with it (same time, so they are restored together).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import require_centre_edit
from centres.services import equipment_add, equipment_archive
from centres.year_lock import year_lock_refusal
from resources.models import VALUED_KINDS, Contribution, Kind
from resources.selectors import contribution_existing, natural_description


def _guard(*, by, centre, years: Iterable[int]) -> None:
    """403 for a user who may not change the centre; a Vietnamese refusal for a locked year. One query per year."""
    require_centre_edit(by, centre)
    refusal = year_lock_refusal(centre_id=centre.pk, years=years)
    if refusal:
        raise ValidationError(refusal)


def _save(obj, by, reason: str, update_fields: list[str] | None = None) -> None:
    obj._history_user = by
    obj._change_reason = reason
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(update_fields=update_fields)


def contribution_problems(*, date: datetime.date, kind: str, value: int | None) -> list[tuple[str, str]]:
    """What is wrong with a contribution, as (field, Vietnamese message): the form, the import and the service
    share it (the database holds the value rules too, as named constraints)."""
    problems = []
    if date > timezone.localdate():
        problems.append(("date", _("Ngày %(day)s chưa đến.") % {"day": date.strftime("%d/%m/%Y")}))
    if kind in VALUED_KINDS and value is None:
        problems.append(("value", _("Tiền và thiết bị phải ghi giá trị (đồng).")))
    if value is not None and value < 0:
        problems.append(("value", _("Giá trị không được là số âm.")))
    return problems


@transaction.atomic
def contribution_record(
    *,
    centre,
    date: datetime.date,
    source: str,
    kind: str,
    value: int | None,
    description: str,
    quantity: int | None = None,
    by,
) -> Contribution:
    """Record one contribution; equipment is added to the centre's facilities and linked. The same contribution
    twice (natural key: centre, date, source, kind, description) is refused, naming it."""
    _guard(by=by, centre=centre, years=[date.year])
    problems = contribution_problems(date=date, kind=kind, value=value)
    if problems:
        raise ValidationError({name: message for name, message in problems})
    description = natural_description(description)
    if not description:
        raise ValidationError(_("Ghi nội dung của khoản huy động."))
    if contribution_existing(centre=centre, date=date, source=source, kind=kind, description=description):
        raise ValidationError(
            _("Khoản «%(d)s» ngày %(day)s đã được ghi (cùng nguồn và hình thức).")
            % {"d": description, "day": date.strftime("%d/%m/%Y")}
        )
    item = Contribution(
        centre=centre, date=date, source=source, kind=kind, value=value, quantity=quantity, description=description
    )
    if kind == Kind.EQUIPMENT:
        item.equipment = equipment_add(
            centre=centre,
            name=description,
            quantity=quantity or 1,
            received_on=date,
            note=_("Nhận từ nguồn: %(s)s") % {"s": item.get_source_display()},
            by=by,
        )
    _save(item, by, _("Ghi khoản huy động"))
    return item


@transaction.atomic
def contribution_archive(*, contribution: Contribution, by) -> None:
    """Delete a contribution as users see it: archived with the equipment item it added (same time)."""
    _guard(by=by, centre=contribution.centre, years=[contribution.date.year])
    at = timezone.now()
    contribution.archived_at, contribution.archived_by = at, by
    _save(contribution, by, _("Xóa khoản huy động"), update_fields=["archived_at", "archived_by"])
    if contribution.equipment_id is not None:
        equipment_archive(item=contribution.equipment, by=by, at=at)


@dataclass
class ImportCounts:
    added: int = 0
    unchanged: int = 0


@transaction.atomic
def contributions_import(*, centre, rows: Iterable, by) -> ImportCounts:
    """A checked import (resources.spreadsheet.parse_contributions), all or nothing: the first refusal rolls back
    and names its row. A row the portal already has (natural key) is left alone, so a file twice adds nothing."""
    counts = ImportCounts()
    for row in rows:
        if row.existing is not None:
            counts.unchanged += 1
            continue
        try:
            contribution_record(
                centre=centre, date=row.date, source=row.source, kind=row.kind, value=row.value,
                description=row.description, quantity=row.quantity, by=by,
            )  # fmt: skip
        except ValidationError as exc:
            raise ValidationError(
                _("Dòng %(row)s: %(message)s") % {"row": row.number, "message": " ".join(exc.messages)}
            ) from exc
        counts.added += 1
    return counts
