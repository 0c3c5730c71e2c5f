"""Forms of the needs surveys and plans: they validate and clean; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import ProgrammeKind
from courses.selectors import kinds_for_province
from planning.models import NeedGroup, PlanLine
from tthtcd_portal.concurrency import VersionedForm
from tthtcd_portal.params import DateParamField

MAX_COUNT = 10**6


def cell_name(kind_id: int, group: str) -> str:
    return f"o-{kind_id}-{group}"


class TallyForm(VersionedForm, forms.Form):
    """The tally grid: one whole number per (active programme kind, group), blank as 0, with the survey's
    version (none before the first save)."""

    def __init__(self, *args, kinds, survey, **kwargs):
        self.survey = survey
        super().__init__(*args, **kwargs)
        for kind in kinds:
            for group, label in NeedGroup.choices:
                self.fields[cell_name(kind.pk, group)] = forms.IntegerField(
                    label=f"{kind.name} – {label}", min_value=0, max_value=MAX_COUNT, required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control form-control-sm",
                                                    "aria-label": f"{kind.name} – {label}"}),
                )  # fmt: skip
        self.kinds = kinds

    def versioned_object(self):
        return self.survey

    def counts(self) -> dict[tuple[int, str], int]:
        return {(k.pk, g): self.cleaned_data.get(cell_name(k.pk, g)) or 0 for k in self.kinds for g in NeedGroup.values}


class PlanLineForm(forms.Form):
    programme_kind = forms.ModelChoiceField(queryset=ProgrammeKind.objects.none(), label=_("Loại chương trình"))
    activity = forms.ChoiceField(choices=PlanLine.Activity.choices, label=_("Hình thức"))
    month = forms.TypedChoiceField(
        choices=[(m, _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)], coerce=int, label=_("Tháng")
    )
    count = forms.IntegerField(min_value=1, max_value=1000, initial=1, label=_("Số lớp, chuyên đề"))
    expected = forms.IntegerField(
        min_value=0, max_value=MAX_COUNT, initial=0, label=_("Lượt người học dự kiến"),
        help_text=_("Cộng số người dự của các buổi, như số liệu báo cáo."),
    )  # fmt: skip

    def __init__(self, *args, province_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds the centre's province uses (a hidden kind is not offered: issue 16 item 1).
        self.fields["programme_kind"].queryset = kinds_for_province(province_id)


class PlanApproveForm(VersionedForm, forms.Form):
    decision_number = forms.CharField(max_length=50, label=_("Số quyết định của UBND xã"))
    decision_date = DateParamField(required=True, label=_("Ngày quyết định"))
    signer = forms.CharField(max_length=200, required=False, label=_("Người ký"))

    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def versioned_object(self):
        return self.plan


class PlanReopenForm(VersionedForm, forms.Form):
    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def versioned_object(self):
        return self.plan
