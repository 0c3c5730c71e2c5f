"""The materials list's filter (materials:list): search text, programme kind, topic, status."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import ProgrammeKind
from materials.models import Material
from tthtcd_portal.filtering import ListFilter

AUTOSUBMIT = {"class": "form-select", "data-autosubmit": ""}


class MaterialFilter(ListFilter):
    q = django_filters.CharFilter(
        label=_("Tìm"),
        method="search",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("Tên, chủ đề, tác giả")}),
    )
    loai = django_filters.ModelChoiceFilter(
        label=_("Loại chương trình"),
        field_name="programme_kind",
        queryset=ProgrammeKind.objects.all(),
        empty_label=_("Mọi loại chương trình"),
        widget=forms.Select(attrs=AUTOSUBMIT),
    )
    chu_de = django_filters.CharFilter(
        label=_("Chủ đề"),
        field_name="topic",
        lookup_expr="iexact",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("Chủ đề")}),
    )
    trang_thai = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        field_name="status",
        choices=Material.Status.choices,
        empty_label=_("Mọi trạng thái"),
        widget=forms.Select(attrs=AUTOSUBMIT),
    )

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(topic__icontains=value) | Q(author__icontains=value))
