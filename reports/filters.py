"""The filters of the reports app's lists: the dashboards (also the parameters of their exports and official
reports) and the audit trail (also its export's). Plain forms, not FilterSets: neither list is one queryset —
the dashboards come from the dashboard engine, the audit trail from a union of ten tables. The report
settings form is here too (reports has no other form)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.dashboard import FIRST_YEAR, GROUP_FORMER, GROUP_THEN, GROUP_TODAY, DashboardFilters, default_filters
from reports.models import ReportSettings
from tthtcd_portal.concurrency import VersionedForm
from tthtcd_portal.filtering import values_choices
from tthtcd_portal.params import DateParamField

MAX_YEARS = 20


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(y, y) for y in range(this_year, FIRST_YEAR - 1, -1)]


class DashboardFilter(forms.Form):
    """GET parameters of the dashboards and of every dashboard export (Vietnamese slugs, no diacritics)."""

    tu_nam = forms.TypedChoiceField(label=_("Từ năm"), coerce=int, required=False)
    den_nam = forms.TypedChoiceField(label=_("Đến năm"), coerce=int, required=False)
    nam_goc = forms.TypedChoiceField(label=_("So với năm gốc"), coerce=int, required=False, empty_value=None)
    loai = forms.TypedChoiceField(label=_("Loại chương trình"), coerce=int, required=False, empty_value=None)
    nhom = forms.ChoiceField(
        label=_("Nhóm theo"),
        required=False,
        choices=[
            (GROUP_THEN, _("Đơn vị hành chính của từng năm")),
            (GROUP_FORMER, _("Huyện cũ (cả sau sáp nhập 2025)")),
            (GROUP_TODAY, _("Cùng địa bàn: xã, phường hiện nay (mọi năm)")),
        ],
    )

    def __init__(self, data=None, *, kinds=(), **kwargs):
        default = default_filters()
        kwargs.setdefault(
            "initial", {"tu_nam": default.year_from, "den_nam": default.year_to, "nam_goc": default.base_year}
        )
        super().__init__(data, **kwargs)
        years = year_choices()
        self.fields["tu_nam"].choices = years
        self.fields["den_nam"].choices = years
        self.fields["nam_goc"].choices = [("", _("(không so sánh)")), *years]
        self.fields["loai"].choices = [("", _("Tất cả các loại")), *[(k.id, k.name) for k in kinds]]
        self.kinds = {k.id: k.name for k in kinds}

    def clean(self):
        data = super().clean()
        default = default_filters()
        year_to = data.get("den_nam") or default.year_to
        year_from = data.get("tu_nam") or min(default.year_from, year_to)
        data["tu_nam"], data["den_nam"] = year_from, year_to
        if year_from > year_to:
            raise forms.ValidationError(_("“Từ năm” phải trước hoặc bằng “Đến năm”."))
        if year_to - year_from + 1 > MAX_YEARS:
            raise forms.ValidationError(_("Chọn tối đa %(n)s năm.") % {"n": MAX_YEARS})
        return data

    def filters(self) -> DashboardFilters:
        """The filters asked for, or the defaults when the form is invalid (the page says so)."""
        default = default_filters()
        if not self.is_valid():
            return default
        data = self.cleaned_data
        if not any(self.data.get(k) for k in ("tu_nam", "den_nam", "nam_goc", "loai", "nhom")):
            return default
        return DashboardFilters(
            year_from=data.get("tu_nam") or default.year_from,
            year_to=data.get("den_nam") or default.year_to,
            programme_kind_id=data.get("loai"),
            base_year=data.get("nam_goc"),
            grouping=data.get("nhom") or GROUP_THEN,
        )

    def described(self, filters: DashboardFilters) -> list[tuple[str, str]]:
        """The filters in words, for the title rows of an export."""
        return [
            (str(_("Loại chương trình")), self.kinds.get(filters.programme_kind_id, str(_("tất cả")))),
            (str(_("Năm gốc so sánh")), str(filters.base_year or "")),
            (str(_("Nhóm theo")), grouping_label(filters.grouping)),
        ]


def grouping_label(grouping: str) -> str:
    if grouping == GROUP_TODAY:
        return str(
            _(
                "cùng địa bàn: xã, phường hiện nay (số liệu mọi năm cộng về xã, phường mới đã nhận trung tâm của "
                "các xã cũ)"
            )
        )
    if grouping == GROUP_FORMER:
        return str(_("huyện cũ (các xã, phường sau 01/7/2025 tính về huyện trước sáp nhập)"))
    return str(_("đơn vị hành chính của từng năm (sau 01/7/2025: theo xã, phường mới)"))


def filters_to_params(filters: DashboardFilters) -> dict[str, str]:
    """The filters as GET parameters (for links and for export jobs' params)."""
    params = {"tu_nam": str(filters.year_from), "den_nam": str(filters.year_to), "nhom": filters.grouping}
    if filters.base_year:
        params["nam_goc"] = str(filters.base_year)
    if filters.programme_kind_id:
        params["loai"] = str(filters.programme_kind_id)
    return params


class ReportSettingsForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ReportSettings
        fields = ["parent_body", "issuing_body", "place_name", "signer_title", "signer_name"]
        help_texts = {
            "parent_body": _("Dòng trên bên trái, ví dụ: UBND TỈNH THÁI BÌNH"),
            "issuing_body": _("Dòng dưới bên trái, ví dụ: SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
            "place_name": _("Dùng trong dòng “Thái Bình, ngày … tháng … năm …”"),
        }

    def versioned_object(self):
        return self.instance  # unsaved defaults carry version 0: a first save made meanwhile is seen too

    def clean(self):
        data = super().clean()
        for name in ("parent_body", "issuing_body", "place_name", "signer_title"):
            if name in data and not (data[name] or "").strip():
                self.add_error(name, _("Không được để trống."))
        return data


class AuditFilter(forms.Form):
    """The audit trail's filters (GET; also the export's parameters). An invalid value is reported and ignored."""

    tu_ngay = DateParamField(label=_("Từ ngày"))
    den_ngay = DateParamField(label=_("Đến ngày"))
    nguoi = forms.CharField(label=_("Người thực hiện"), required=False, max_length=100)
    doi_tuong = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    trung_tam = forms.ModelChoiceField(label=_("Trung tâm"), queryset=None, required=False, empty_label=_("Tất cả"))

    def __init__(self, *args, centres, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["trung_tam"]
        # The same labels, read with values_list: no model instance per option (~500 in a province). Set before
        # the queryset, which hands the field's choices to its widget.
        field.iterator = values_choices("commune__code", "name", label=lambda code, name: f"{code} – {name}")
        field.queryset = centres
        field.label_from_instance = lambda c: f"{c.commune.code} – {c.name}"
        self.fields["doi_tuong"].choices = [("", _("Tất cả")), *kinds]

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", _("Ngày kết thúc phải sau hoặc cùng ngày bắt đầu."))
        return data
