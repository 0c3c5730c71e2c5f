"""Exports of the centres list (centres:list): the centres, their board members, their instructors — each of
exactly the centres the page shows, through the page's own filter (centres.filters.CentreFilter); from the
centre page, `trung_tam` names one centre (404 outside the user's scope)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from centres.filters import CentreFilter
from centres.models import BoardMember, InstructorAssignment
from centres.selectors import centre_for_user, centre_list
from reports.exports.base import Export, TableSpec, everyone, export_context, headed, query_rows, unit_columns
from tthtcd_portal.db_router import read_db
from tthtcd_portal.params import date_param, id_param
from tthtcd_portal.vietnamese import person_order
from tthtcd_portal.xlsx import DATE, NUMBER, TEXT, YEAR, Column

# The registry's columns, each named once; report (c) (reports.official) picks some of them by name.
DISTRICT = Column(gettext_lazy("Huyện"), TEXT, 22, "commune__district__name")
COMMUNE_CODE = Column(gettext_lazy("Mã xã"), TEXT, 9, "commune__code")
COMMUNE = Column(gettext_lazy("Xã, phường, thị trấn"), TEXT, 24, "commune__name")
NAME = Column(gettext_lazy("Tên trung tâm"), TEXT, 45, "name")
STATUS = Column(gettext_lazy("Tình trạng"), TEXT, 16, "status")
DECISION_NUMBER = Column(gettext_lazy("Số quyết định thành lập"), TEXT, 18, "decision_number")
DECISION_DATE = Column(gettext_lazy("Ngày quyết định"), DATE, None, "decision_date")
DECISION_ISSUER = Column(gettext_lazy("Cơ quan ra quyết định"), TEXT, 24, "decision_issuer")
ADDRESS = Column(gettext_lazy("Địa chỉ"), TEXT, 30, "address")
PHONE = Column(gettext_lazy("Điện thoại"), TEXT, 14, "phone")
CENTRE_COLUMNS = [
    DISTRICT,
    COMMUNE_CODE,
    COMMUNE,
    NAME,
    STATUS,
    DECISION_NUMBER,
    DECISION_DATE,
    DECISION_ISSUER,
    ADDRESS,
    PHONE,
    Column(gettext_lazy("Thư điện tử"), TEXT, 24, "email"),
    Column(gettext_lazy("Có con dấu"), TEXT, 10, "has_seal"),
    Column(gettext_lazy("Có tài khoản"), TEXT, 10, "has_bank_account"),
    Column(gettext_lazy("Cơ sở vật chất"), TEXT, 24, "building"),
    Column(gettext_lazy("Số phòng học"), NUMBER, 10, "rooms"),
    Column(gettext_lazy("Số chỗ ngồi"), NUMBER, 10, "seats"),
    Column(gettext_lazy("Máy tính nối mạng"), NUMBER, 10, "computers_with_internet"),
    Column(gettext_lazy("Thư viện, tủ sách, điểm đọc"), TEXT, 16, "library__kind"),
]


def filtered_centres(user, params: dict) -> CentreFilter:
    """The centres list's filter over the user's centres (read from the replica), as the page applies it."""
    rating_year = timezone.localdate().year - 1
    return CentreFilter(params, queryset=centre_list(user=user, rating_year=rating_year).using(read_db()), user=user)


def _which_centres(user, params: dict):
    """(Q on `centre`, described): one centre (`trung_tam`, the centre page) or the list's filtered centres."""
    centre_id = id_param(params.get("trung_tam"))
    if params.get("trung_tam") not in (None, ""):
        centre = centre_for_user(user, centre_id or 0)
        return Q(centre_id=centre.pk), [(_("Trung tâm"), centre.name)]
    found = filtered_centres(user, params)
    return Q(centre__in=found.qs.values("pk")), found.described()


def build_centres(user, params: dict) -> TableSpec:
    found = filtered_centres(user, params)
    qs = found.qs
    return TableSpec(
        title=_("Danh sách trung tâm học tập cộng đồng"),
        context=export_context(user, described=found.described()),
        columns=headed(CENTRE_COLUMNS),
        rows=query_rows(qs, CENTRE_COLUMNS),
        total=qs.count(),
    )


BOARD_COLUMNS = [
    *unit_columns("centre__"),
    Column(gettext_lazy("Họ và tên"), TEXT, 28, "full_name"),
    Column(gettext_lazy("Giới tính"), TEXT, 9, "gender"),
    Column(gettext_lazy("Chức danh"), TEXT, 16, "position"),
    Column(gettext_lazy("Chức vụ chính"), TEXT, 30, "main_post"),
    Column(gettext_lazy("Chuyên trách/kiêm nhiệm"), TEXT, 14, "engagement"),
    Column(gettext_lazy("Số quyết định bổ nhiệm"), TEXT, 20, "appointment_decision"),
    Column(gettext_lazy("Ngày quyết định"), DATE, None, "decision_date"),
    Column(gettext_lazy("Người ký quyết định"), TEXT, 26, "decision_signer"),
    Column(gettext_lazy("Bắt đầu nhiệm kỳ"), DATE, None, "term_start"),
    Column(gettext_lazy("Kết thúc nhiệm kỳ"), DATE, None, "term_end"),
]


def build_board_members(user, params: dict) -> TableSpec:
    where, described = _which_centres(user, params)
    qs = scoping.scoped(user, BoardMember.objects.using(read_db()).filter(where), "centre")
    day = date_param(params.get("ngay"))
    if day:
        qs = qs.on_date(day)
        described.append((_("Tại nhiệm ngày"), day.strftime("%d/%m/%Y")))
    qs = qs.order_by("centre__commune__district__code", "centre__commune__code", "position", "-term_start", "id")
    return TableSpec(
        title=_("Danh sách thành viên Ban Giám đốc trung tâm"),
        context=export_context(user, described=described),
        columns=headed(BOARD_COLUMNS),
        rows=query_rows(qs, BOARD_COLUMNS),
        total=qs.count(),
    )


INSTRUCTOR_COLUMNS = [
    *unit_columns("centre__"),
    Column(gettext_lazy("Họ và tên"), TEXT, 28, "instructor__full_name"),
    Column(gettext_lazy("Giới tính"), TEXT, 9, "instructor__gender"),
    Column(gettext_lazy("Năm sinh"), YEAR, 9, "instructor__birth_year"),
    Column(gettext_lazy("Dân tộc"), TEXT, 10, "instructor__ethnicity"),
    Column(gettext_lazy("Lĩnh vực"), TEXT, 20, "instructor__field"),
    Column(gettext_lazy("Nơi công tác"), TEXT, 24, "instructor__workplace"),
    Column(gettext_lazy("Điện thoại"), TEXT, 13, "instructor__phone"),
    Column(gettext_lazy("Loại"), TEXT, 15, "kind"),
    Column(gettext_lazy("Chuyên trách/kiêm nhiệm"), TEXT, 14, "engagement"),
    Column(gettext_lazy("Đang tham gia"), TEXT, 10, "active"),
]


def build_instructors(user, params: dict) -> TableSpec:
    where, described = _which_centres(user, params)
    qs = scoping.scoped(user, InstructorAssignment.objects.using(read_db()).filter(where), "centre")
    qs = qs.order_by(
        "centre__commune__district__code", "centre__commune__code", "-active", *person_order("instructor__full_name")
    )
    return TableSpec(
        title=_("Danh sách giáo viên, báo cáo viên, hướng dẫn viên"),
        context=export_context(user, described=described),
        columns=headed(INSTRUCTOR_COLUMNS),
        rows=query_rows(qs, INSTRUCTOR_COLUMNS),
        total=qs.count(),
    )


EXPORTS = [
    Export("trung-tam", gettext_lazy("Danh sách trung tâm"), scoping.is_reviewer_or_above, build_centres),
    Export("ban-giam-doc", gettext_lazy("Danh sách Ban Giám đốc"), everyone, build_board_members),
    Export("giang-vien", gettext_lazy("Danh sách giáo viên, báo cáo viên"), everyone, build_instructors),
]
