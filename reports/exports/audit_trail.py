"""The audit trail's export (reports:audit): one row per changed field of the entries the page lists, through
the page's own filter (reports.filters.AuditFilter, read by reports.audit.filter_form)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from reports import audit
from reports.exports.base import Export, TableSpec, export_context, headed
from tthtcd_portal.filtering import form_described
from tthtcd_portal.xlsx import DATE, TEXT, Column

COLUMNS = [
    Column(gettext_lazy("Ngày"), DATE, None, lambda e: timezone.localtime(e.when)),
    Column(gettext_lazy("Giờ"), TEXT, 7, lambda e: timezone.localtime(e.when).strftime("%H:%M")),
    Column(gettext_lazy("Người thực hiện"), TEXT, 22, lambda e: e.who),
    Column(gettext_lazy("Loại đối tượng"), TEXT, 18, lambda e: e.kind_label),
    Column(gettext_lazy("Đối tượng"), TEXT, 34, lambda e: e.object_label),
    Column(gettext_lazy("Trung tâm"), TEXT, 36, lambda e: e.centre),
    Column(gettext_lazy("Thao tác"), TEXT, 16, lambda e: e.action),
]
CHANGE_COLUMNS = [
    Column(gettext_lazy("Nội dung"), TEXT, 24, lambda c: c.field),
    Column(gettext_lazy("Giá trị cũ"), TEXT, 24, lambda c: c.old),
    Column(gettext_lazy("Giá trị mới"), TEXT, 24, lambda c: c.new),
]
REASON = Column(gettext_lazy("Lý do"), TEXT, 24, lambda e: e.reason)
NO_CHANGE = audit.Change("", "", "")


def build_audit_export(user, params: dict) -> TableSpec:
    scoping.require_province_level(user)
    form, filters = audit.filter_form(user, params)

    def rows():
        for entry in audit.all_entries(user, filters):
            head = [column.value(entry) for column in COLUMNS]
            for change in entry.changes or [NO_CHANGE]:
                yield [*head, *(column.value(change) for column in CHANGE_COLUMNS), REASON.value(entry)]

    return TableSpec(
        title=_("Nhật ký thay đổi dữ liệu"),
        context=export_context(user, described=form_described(form) if form.is_bound else []),
        columns=headed([*COLUMNS, *CHANGE_COLUMNS, REASON]),
        rows=rows(),
        total=audit.entry_keys(user, filters).count(),
    )


EXPORT = Export("nhat-ky", gettext_lazy("Nhật ký thay đổi dữ liệu"), scoping.is_province_level, build_audit_export)
