"""The filters of the classes list and the learners list: each serves its page and its exports alike
(docs/architecture.md, "Parameters")."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.models import Centre
from courses import selectors
from courses.models import ProgrammeKind
from tthtcd_portal.filtering import ListFilter, values_choices
from tthtcd_portal.vietnamese import by_name

FIRST_YEAR = 2015
AUTOSUBMIT = {"class": "form-select", "data-autosubmit": ""}


def _years():
    return [(str(y), str(y)) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class _CentreField(forms.ModelChoiceField):
    iterator = values_choices("commune__name", label=str)  # the options without a model instance each

    def label_from_instance(self, obj):
        return obj.commune.name


class _KindField(forms.ModelChoiceField):
    iterator = values_choices("name", label=str)  # str(kind) is its name; one plain query, no server-side cursor


class CentreChoiceFilter(django_filters.ModelChoiceFilter):
    """A centre the user sees, shown by its commune's name."""

    field_class = _CentreField


class KindChoiceFilter(django_filters.ModelChoiceFilter):
    """A programme kind, its options read as values (issue 18)."""

    field_class = _KindField


class CourseFilter(ListFilter):
    """Filters `courses.selectors.course_list(user=…)`. `nam` is the class's start year (the year it counts in);
    the sessions export of the page holds the sessions of exactly these classes."""

    outside_is_404 = ("trung_tam",)

    trung_tam = CentreChoiceFilter(
        label=_("Trung tâm"),
        field_name="centre",
        queryset=Centre.objects.none(),
        empty_label=_("Tất cả trung tâm"),
        widget=forms.Select(attrs=AUTOSUBMIT),
    )
    nam = django_filters.ChoiceFilter(
        label=_("Năm"),
        field_name="start_date__year",
        choices=_years,
        empty_label=_("Mọi năm"),
        widget=forms.Select(attrs=AUTOSUBMIT),
    )
    loai = KindChoiceFilter(
        label=_("Loại chương trình"),
        field_name="programme_kind",
        queryset=ProgrammeKind.objects.all(),
        empty_label=_("Mọi loại chương trình"),
        widget=forms.Select(attrs=AUTOSUBMIT),
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        centres = Centre.objects.visible_to(user).select_related("commune").order_by(by_name("commune__name"), "pk")
        self.filters["trung_tam"].queryset = centres

    def count(self) -> int:
        """How many classes `qs` holds. Without a year or a kind, read from the counts kept per centre
        (`selectors.live_class_count`: a province's ~145,000 classes took a 20–50 ms COUNT on every page of the
        list, issue 18); with one, counted (a tenth of the rows or fewer). One query either way."""
        classes = self.qs  # a centre of another unit is a 404 here, before anything is counted
        chosen = self.form.cleaned_data if self.is_bound else {}
        if chosen.get("nam") or chosen.get("loai"):
            return classes.count()
        centre = chosen.get("trung_tam")
        return selectors.live_class_count(user=self.user, centre_id=centre.pk if centre else None)


class LearnerFilter(ListFilter):
    """Filters a centre's learners (`courses.selectors.learners_for_list`): the learners page and its export."""

    outside_is_404 = ("trung_tam",)

    trung_tam = CentreChoiceFilter(
        label=_("Trung tâm"), field_name="centre", queryset=Centre.objects.none(), empty_label=None
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        centres = Centre.objects.visible_to(user).select_related("commune").order_by(by_name("commune__name"), "pk")
        self.filters["trung_tam"].queryset = centres
