"""Export of the "never trained" list (training:untrained): exactly the rows the page shows, through the page's
own filter (training.filters.untrained_filtered)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from reports.exports.base import Export, TableSpec, export_context, headed, object_rows
from training.filters import untrained_described, untrained_filtered
from tthtcd_portal.xlsx import TEXT, Column

UNTRAINED_COLUMNS = [
    Column(gettext_lazy("Huyện"), TEXT, 22, lambda r: r.district),
    Column(gettext_lazy("Mã xã"), TEXT, 9, lambda r: r.commune_code),
    Column(gettext_lazy("Trung tâm"), TEXT, 40, lambda r: r.centre),
    Column(gettext_lazy("Họ và tên"), TEXT, 28, lambda r: r.name),
    Column(gettext_lazy("Vai trò"), TEXT, 16, lambda r: r.role_label),
    Column(gettext_lazy("Chức danh, loại"), TEXT, 20, lambda r: r.detail),
]


def build_untrained(user, params: dict) -> TableSpec:
    form, rows = untrained_filtered(user=user, params=params)
    return TableSpec(
        title=_("Danh sách Ban Giám đốc và giảng viên chưa tập huấn"),
        context=export_context(user, described=untrained_described(form)),
        columns=headed(UNTRAINED_COLUMNS),
        rows=object_rows(rows, UNTRAINED_COLUMNS),
        total=len(rows),
    )


EXPORTS = [
    Export(
        "chua-tap-huan",
        gettext_lazy("Ban Giám đốc và giảng viên chưa tập huấn"),
        scoping.is_reviewer_or_above,
        build_untrained,
    ),
]
