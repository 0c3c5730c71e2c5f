"""What every export shares: the Export (code, label, who may have it, how to build its table), the
TableSpec a build returns, rows read from a queryset by the columns' field paths, and the title rows.

Columns are described once, with their value (tthtcd_portal.xlsx.Column): a field path is read with
values_list — only the sheet's columns, no model instances — and a coded value (a field with choices,
a yes/no field) is written as its label; a function is called with the row object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from tthtcd_portal.xlsx import TEXT, Column, ExportContext

CHUNK = 2000


@dataclass
class TableSpec:
    title: str
    context: ExportContext
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    total: int | None = None  # rows expected, when known cheaply (progress bars, background decision)


@dataclass(frozen=True)
class Export:
    code: str
    label: str
    allowed: Callable[[object], bool]
    build: Callable[[object, dict], TableSpec]


def everyone(user) -> bool:
    return True


def scope_label(user) -> str:
    """The unit an export is for, in words (one query for the user's unit)."""
    if user.is_superuser or user.is_administrator:
        return _("Toàn hệ thống")
    if user.is_ministry_official:
        return _("Toàn quốc")
    if user.is_province_official:
        return user.province.name
    if user.is_reviewer:
        return user.office.name
    if user.is_centre_staff:
        return user.centre.name
    return ""


def yes_no(value) -> str:
    return "" if value is None else (_("Có") if value else _("Không"))


def export_context(user, *, unit: str | None = None, years: str = "", described=()) -> ExportContext:
    """The title rows of an export made now by `user`: for which unit, which years, which filters."""
    return ExportContext(
        unit=scope_label(user) if unit is None else unit,
        made_by=user.display_name,
        years=years,
        filters=list(described),
        made_at=timezone.now(),
    )


def unit_columns(prefix: str = "") -> list[Column]:
    """District, commune code and centre name of the rows' centre, reached through `prefix` ("centre__")."""
    return [
        Column(_("Huyện"), TEXT, 22, f"{prefix}commune__district__name"),
        Column(_("Mã xã"), TEXT, 9, f"{prefix}commune__code"),
        Column(_("Trung tâm"), TEXT, 40, f"{prefix}name"),
    ]


def _field_of(queryset: models.QuerySet, path: str):
    """The model field (or an annotation's output field) a path reads, None when it cannot be known."""
    if path in queryset.query.annotations:
        return queryset.query.annotations[path].output_field
    model, field = queryset.model, None
    try:
        for part in path.split("__"):
            field = model._meta.get_field(part)
            model = field.related_model or model
    except FieldDoesNotExist:  # a FilteredRelation's alias
        return None
    return field


def _display(queryset: models.QuerySet, path: str) -> Callable | None:
    """How to write a path's raw value: its choice label (a field, or an annotation declared with choices),
    "Có"/"Không" for a yes/no field, else as it is (None)."""
    field = _field_of(queryset, path)
    if field is None:
        return None
    if field.choices:
        labels = {value: str(label) for value, label in field.flatchoices}
        return lambda value: labels.get(value, value)
    if isinstance(field, models.BooleanField):
        return yes_no
    return None


def query_rows(queryset: models.QuerySet, columns: Sequence[Column]) -> Iterable[tuple]:
    """Stream the rows of `queryset` as the columns' values: one values_list of their field paths, read
    CHUNK rows at a time."""
    paths = [column.value for column in columns]
    shown = [_display(queryset, path) for path in paths]
    if not any(shown):
        return queryset.values_list(*paths).iterator(chunk_size=CHUNK)
    pairs = list(enumerate(shown))
    return (
        tuple(value if show is None else show(value) for (_i, show), value in zip(pairs, row, strict=True))
        for row in queryset.values_list(*paths).iterator(chunk_size=CHUNK)
    )


def object_rows(objects: Iterable, columns: Sequence[Column]) -> list[list]:
    """The rows of `objects` (dashboard rows, audit entries): each column's function of the object."""
    return [[column.value(item) for column in columns] for item in objects]


def headed(columns: Sequence[Column]) -> list[Column]:
    """The columns with their (lazy) headers made text in the current language."""
    return [Column(str(c.header), c.kind, c.width, c.value) for c in columns]
