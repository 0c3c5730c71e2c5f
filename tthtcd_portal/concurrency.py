"""No lost updates: the one optimistic lock every edit form uses (issue 14, item 1).

An edited model has `version = PositiveIntegerField(default=1)`. Its edit form carries the version it showed
in a hidden field (`VersionedForm`); the service, inside its transaction and before anything else, claims it:

    version_claim(centre, version=version)      # UPDATE … SET version = version + 1 WHERE id = … AND version = n

On PostgreSQL a second writer's UPDATE waits for the first one's row lock, then re-reads the row, finds the
version moved and updates nothing; on SQLite writers are serialised. Either way the second save raises
`StaleEdit` — naming who saved in between and when (from the object's history) — and writes nothing. The
view's refusal path (`tthtcd_portal.refusal`) then re-renders the form with the user's own input kept, the
latest saved values listed beside it, and the hidden version moved on, so saving again is a decision made
with the latest values in view.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION = "version"
MAX_VERSION = 2**31 - 1


def version_field() -> models.PositiveIntegerField:
    """The model field: starts at 1, moved on by every save through version_claim."""
    return models.PositiveIntegerField(
        gettext_lazy("phiên bản"), default=1, editable=False, help_text=gettext_lazy("tăng sau mỗi lần lưu")
    )


@dataclass(frozen=True)
class LastChange:
    who: str
    when: datetime.datetime | None


def last_change(obj: models.Model) -> LastChange:
    """Who saved `obj` last and when: its newest history row (django-simple-history), else its
    updated_by/updated_at fields. One query."""
    history = getattr(type(obj), "history", None)
    if history is not None:
        row = obj.history.select_related("history_user").order_by("-history_date", "-history_id").first()
        if row is not None:
            return LastChange(who=_person(row.history_user), when=row.history_date)
    by = getattr(obj, "updated_by", None)
    return LastChange(who=_person(by), when=getattr(obj, "updated_at", None))


def _person(user) -> str:
    if user is None:
        return _("một người dùng khác")
    return user.get_full_name() or user.get_username()


class StaleEdit(ValidationError):
    """The object changed since the form was opened. `current` holds the objects as saved now."""

    def __init__(self, *, current: list[models.Model]) -> None:
        changes = [last_change(obj) for obj in current]
        change = max(changes, key=lambda c: c.when.timestamp() if c.when else 0.0)
        when = timezone.localtime(change.when) if change.when else None
        message = _(
            "%(who)s đã lưu thay đổi lúc %(when)s, sau khi bạn mở trang này, nên thay đổi của bạn chưa được lưu. "
            "Nội dung bạn nhập vẫn được giữ: so với khung “Giá trị mới nhất” rồi bấm Lưu lại."
        ) % {"who": change.who, "when": date_format(when, "SHORT_DATETIME_FORMAT") if when else "—"}
        super().__init__(message, code="stale")
        self.current = current
        self.change = change


def version_claim(obj: models.Model, *, version: int | None) -> None:
    """Move `obj`'s version on if it is still `version` (None: no form involved — an import, a command — so
    only move it on). Raises StaleEdit, writing nothing, when someone saved in between. Call it first inside
    the service's transaction: the UPDATE also holds the row until the transaction ends. One query (two when
    refused or when version is None)."""
    manager = type(obj)._default_manager
    rows = manager.filter(pk=obj.pk)
    if version is not None:
        rows = rows.filter(**{VERSION: version})
    if not rows.update(**{VERSION: F(VERSION) + 1}):
        raise StaleEdit(current=[manager.get(pk=obj.pk)])
    if version is None:
        setattr(obj, VERSION, manager.filter(pk=obj.pk).values_list(VERSION, flat=True).get())
    else:
        setattr(obj, VERSION, version + 1)


def versions_claim(pairs: list[tuple[models.Model, int | None]]) -> None:
    """version_claim for an edit that writes several objects (a person and their role): all or none — the
    refusal names the first that moved and carries every object as saved now."""
    stale = None
    for obj, version in pairs:
        try:
            version_claim(obj, version=version)
        except StaleEdit as error:
            stale = stale or error
    if stale is not None:
        manager = {type(obj): type(obj)._default_manager for obj, _v in pairs}
        raise StaleEdit(current=[manager[type(obj)].get(pk=obj.pk) for obj, _v in pairs])


# --- Forms ------------------------------------------------------------------------------------------------------


def _version_input(initial) -> forms.IntegerField:
    # Not required: a post without it (a page opened before this field existed, a script) is saved unchecked.
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION, initial=initial, required=False
    )


class VersionedForm:
    """Mixin for an edit form: a hidden `version` holding the version of `versioned_object()` (the instance
    for a ModelForm). Extra hidden versions for other objects the form edits: `extra_versions` maps a field name
    to a function of the form returning that object."""

    extra_versions: dict[str, Any] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.latest: list[tuple[str, str]] = []
        edited = self.versioned_object()
        if edited is None:  # a create form: nothing to be stale against
            return
        self.fields[VERSION] = _version_input(_saved_version(edited))
        for name, of in self.extra_versions.items():
            self.fields[name] = _version_input(_saved_version(of(self)))

    def versioned_object(self):
        """The object whose version the form carries: a ModelForm's saved instance, else None (no field)."""
        instance = getattr(self, "instance", None)
        return instance if instance is not None and instance.pk else None

    def stale_refresh(self, error: StaleEdit) -> None:
        """After a refused save: keep the user's input, list the saved values that differ from it, and carry
        the current versions so the next save (made knowing them) goes through."""
        data = self.data.copy()
        names = [VERSION, *self.extra_versions]
        for name, obj in zip(names, error.current, strict=False):
            data[self.add_prefix(name)] = str(getattr(obj, VERSION))
        self.data = data
        cleaned = getattr(self, "cleaned_data", {})
        for name, field in self.fields.items():
            if name in names or isinstance(field.widget, forms.HiddenInput):
                continue
            for obj in error.current:
                if not _has_value(obj, name):
                    continue
                value = getattr(obj, name)
                if name not in cleaned or _differs(cleaned[name], value):
                    self.latest.append((str(field.label or name), _shown(field, value)))
                break


def _saved_version(obj) -> int:
    """0 for an object not saved yet (the first report settings of a province)."""
    return getattr(obj, VERSION) if obj is not None and obj.pk else 0


def _has_value(obj, name: str) -> bool:
    try:
        field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 — not a model field of this object
        return False
    return not (field.many_to_many or field.one_to_many)


def _differs(entered, saved) -> bool:
    if isinstance(entered, str) or isinstance(saved, str):
        return str(entered or "").strip() != str(saved or "").strip()
    return entered != saved


def _shown(field: forms.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in field.choices}
        return str(labels.get(str(value), value))
    return str(value)


def stale_shown(form, error: ValidationError) -> bool:
    """If `error` is a stale save and `form` is a VersionedForm, refresh the form (see stale_refresh)."""
    if isinstance(error, StaleEdit) and hasattr(form, "stale_refresh"):
        form.stale_refresh(error)
        return True
    return False
