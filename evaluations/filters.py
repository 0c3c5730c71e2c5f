"""The filter of a year's results (every active centre with its assessment of the year): the reviewer's
overview, the province's page of one office, and their export `xep-loai-nam` (docs/architecture.md)."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from accounts.models import Office
from evaluations.selectors import evaluation_years
from tthtcd_portal.filtering import ListFilter
from tthtcd_portal.params import year_param


class YearResultsFilter(ListFilter):
    """Filters the active centres the user sees; `year` is the year whose assessments are shown (`nam`,
    default the latest rubric year)."""

    don_vi = django_filters.ModelChoiceFilter(
        label=_("Đơn vị đánh giá"), field_name="review_office", queryset=Office.objects.none()
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["don_vi"].queryset = scoping.visible_offices(user)
        self.year = year_param((data or {}).get("nam")) or next(
            iter(evaluation_years(user=user)), timezone.localdate().year
        )

    def described(self) -> list[tuple[str, str]]:
        return [(str(_("Năm")), str(self.year)), *super().described()]
