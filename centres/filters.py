"""The centres list's filter: the page (centres:list), its exports (centres, board members, instructors) and
official report (c) all read these GET parameters through it (docs/architecture.md, "Parameters")."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from centres.models import Centre, Rating
from tthtcd_portal.filtering import ListFilter, values_choices
from tthtcd_portal.vietnamese import by_name
from units.models import Commune, District

ALL = _("Tất cả")
NOT_RATED = "none"


class CentreFilter(ListFilter):
    """Filters `centres.selectors.centre_list(...)` (which annotates `last_rating`)."""

    q = django_filters.CharFilter(
        label=_("Tìm theo tên hoặc mã xã"),
        method="search",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    huyen = django_filters.ModelChoiceFilter(
        label=_("Huyện"), field_name="commune__district", queryset=District.objects.none(), empty_label=ALL
    )
    loai_xa = django_filters.ChoiceFilter(
        label=_("Cấp xã"), field_name="commune__kind", choices=Commune.Kind.choices, empty_label=ALL
    )
    tinh_trang = django_filters.ChoiceFilter(
        label=_("Tình trạng"), field_name="status", choices=Centre.Status.choices, empty_label=ALL
    )
    thu_vien = django_filters.ChoiceFilter(
        label=_("Thư viện/tủ sách"), choices=[("1", _("Có")), ("0", _("Không"))], method="by_library", empty_label=ALL
    )
    xep_loai = django_filters.ChoiceFilter(
        label=_("Xếp loại năm trước"),
        choices=[*Rating.choices, (NOT_RATED, _("Chưa xếp loại"))],
        method="by_rating",
        empty_label=ALL,
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        # By name, then id: the Ministry's list holds namesakes (two "Huyện Châu Thành"), shown in one order.
        self.filters["huyen"].queryset = scoping.visible_districts(user).order_by(by_name(), "pk")
        # The options read with values_list: the Ministry's select of ~700 districts built a model each.
        field = self.form.fields["huyen"]
        field.iterator = values_choices("name", label=str)
        field.widget.choices = field.choices  # the widget kept the iterator of the queryset's assignment

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(commune__name__icontains=value) | Q(commune__code=value))

    def by_library(self, queryset, name, value):
        return queryset.filter(has_library=value == "1")  # centre_list's annotation (selectors.library_flag)

    def by_rating(self, queryset, name, value):
        if value == NOT_RATED:
            return queryset.filter(last_rating__isnull=True)
        return queryset.filter(last_rating=value)
