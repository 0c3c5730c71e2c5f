"""What every list's filter shares (django-filter FilterSets in <app>/filters.py): a GET link is never an
error — an invalid value is dropped, the others still apply — except a centre, class or office of another
unit, which is a 404 as everywhere; and the chosen filters in words, for the title rows of an export."""

from __future__ import annotations

import copy

import django_filters
from django import forms
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _


class ListFilter(django_filters.FilterSet):
    """Base of every list's FilterSet. `outside_is_404`: fields naming an object in the user's scope; a value
    that is not among their choices (another unit's centre) is a 404, not a silently wider list."""

    outside_is_404: tuple[str, ...] = ()

    @property
    def qs(self):
        self.validate()
        return super().qs

    def validate(self) -> None:
        """Validate the form (invalid values are dropped); another unit's object is a 404."""
        if self.is_bound and not self.is_valid():
            for name in self.outside_is_404:
                if name in self.form.errors and self.data.get(name) not in ("", None):
                    raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))

    def applied_to(self, queryset):
        """`queryset` filtered as `qs` filters the FilterSet's own: for a list that builds its queryset only when
        it needs it (tthtcd_portal.kept_sql; call `key()` first, which validates)."""
        self.validate()
        return self.filter_queryset(queryset.all()) if self.is_bound else queryset.all()

    def key(self) -> tuple:
        """The filters' values that apply (objects as their pk), validated: with the list's base queryset's inputs,
        everything its SQL is built from."""
        self.validate()
        if not self.is_bound:
            return ()
        return tuple((name, _key_value(value)) for name, value in self.form.cleaned_data.items())

    def filter_through(self, queryset, relation: str):
        """`queryset` (rows of another model, scoped by the caller) filtered as this list is, through
        `relation`, the path from those rows to the list's (`"course"`: the sessions of the listed classes).
        The same filters and values, applied as a join: `course__start_date BETWEEN …` can use the classes'
        index, where `course__in=<the list's query>` had PostgreSQL walk every class in scope (issue 17 item 4).
        Only the filters: the list's base queryset (its scope, live rows) is the caller's to match."""
        self.qs  # noqa: B018 — validates, and another unit's centre is a 404 here too
        if not self.is_bound:
            return queryset
        for name, value in self.form.cleaned_data.items():
            through = copy.copy(self.filters[name])
            through.field_name = f"{relation}__{through.field_name}"
            queryset = through.filter(queryset, value)
        return queryset

    def described(self) -> list[tuple[str, str]]:
        """The chosen values in words, for an export's title rows."""
        return form_described(self.form) if self.is_bound else []


def form_described(form: forms.Form) -> list[tuple[str, str]]:
    """A valid filter form's non-empty values in words (choice labels, object names)."""
    if not form.is_valid():
        return []
    out = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in ("", None):
            continue
        if isinstance(field, forms.ModelChoiceField):
            text = str(value)
        elif isinstance(field, forms.ChoiceField):
            text = str(dict(field.choices).get(value, value))
        else:
            text = str(value)
        out.append((str(field.label), text))
    return out


class ValuesChoiceIterator(forms.models.ModelChoiceIterator):
    """A ModelChoiceField's options read with `values_list` (issue 18): a filter's select of a province's ~500
    centres built a model instance and a label per option, half of the audit trail's filter form. The values
    and the order are the queryset's; validation still goes through the queryset (`to_python`)."""

    fields: tuple[str, ...] = ()

    @staticmethod
    def label(*values) -> str:
        return str(values[0])

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *self.fields):
            yield (pk, self.label(*values))


def values_choices(*fields: str, label) -> type[ValuesChoiceIterator]:
    """An iterator class for `ModelChoiceField.iterator`: options (pk, label(*values of `fields`))."""
    return type("ValuesChoices", (ValuesChoiceIterator,), {"fields": fields, "label": staticmethod(label)})


def _key_value(value):
    if isinstance(value, Model):
        return ("pk", type(value)._meta.label, value.pk)
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(map(_key_value, value), key=repr))
    return value
