"""The audit trail: who changed what and when, old → new, for provincial officials within their province."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from centres import services as centre_services
from centres.models import BoardMember, Centre
from courses.models import AttendanceAudit
from evaluations.models import Assessment, AssessmentEvent
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory
from tests.reports.factories import AssessmentFactory
from tthtcd_portal.xlsx import HEADER_ROW

URL = reverse("reports:audit")


def _edit(instance, user, **fields):
    """A change as a request would record it: the history row carries its user."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()


@pytest.fixture
def changes(world):
    """One change of every kind in centre A (district X) by staff_a, and one in centre B by staff_b."""
    member = BoardMemberFactory(centre=world.centre_a, full_name="Phạm Văn Đức")
    _edit(member, world.staff_a, main_post="Phó Chủ tịch UBND xã")
    _edit(Centre.objects.get(pk=world.centre_a.pk), world.staff_a, phone="0912345678")
    _edit(Centre.objects.get(pk=world.centre_b.pk), world.staff_b, phone="0987654321")
    link = AssignmentFactory(centre=world.centre_a)
    _edit(link.instructor, world.staff_a, workplace="Trường THCS Đông Phương")
    _edit(link, world.staff_a, active=False)
    course = CourseFactory(centre=world.centre_a, title="Kỹ thuật nuôi cá")
    _edit(course, world.staff_a, place="Nhà văn hóa thôn Nam")
    session = SessionFactory(course=course, present=30)
    _edit(session, world.staff_a, present=35)
    learner = LearnerFactory(centre=world.centre_a, full_name="Lò Thị Mai")
    _edit(learner, world.staff_a, village="Thôn Bắc")
    enrolment = EnrolmentFactory(course=course, learner=learner)
    _edit(enrolment, world.staff_a, until_date=datetime.date(2026, 6, 1))
    AttendanceAudit.objects.create(
        session=session,
        by=world.staff_a,
        present_before=35,
        present_after=33,
        women_before=20,
        women_after=19,
        minorities_before=1,
        minorities_after=1,
    )
    assessment = AssessmentFactory(centre=world.centre_a, year=2025, status=Assessment.Status.DRAFT)
    AssessmentEvent.objects.create(
        assessment=assessment,
        actor=world.staff_a,
        at=timezone.now(),
        action=AssessmentEvent.Action.SUBMIT,
        from_status=Assessment.Status.DRAFT,
        to_status=Assessment.Status.SUBMITTED,
        changes={"self_score": ["70", "82.5"]},
    )
    return member, session


def page_text(client, params=None):
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_official_sees_old_and_new_values_with_who_and_what(world, changes, client_for):
    text = page_text(client_for(world.official), {"doi_tuong": "ban-giam-doc"})
    assert "Phạm Văn Đức" in text and "Chức vụ chính" in text
    assert "<del>Chủ tịch Hội Nông dân xã</del> → <strong>Phó Chủ tịch UBND xã</strong>" in text
    assert "Nguyễn Văn A" in text  # staff_a's name (family name first)
    session_page = page_text(client_for(world.official), {"doi_tuong": "buoi-hoc"})
    assert "<del>30</del> → <strong>35</strong>" in session_page
    attendance = page_text(client_for(world.official), {"doi_tuong": "diem-danh"})
    assert "<del>35</del> → <strong>33</strong>" in attendance and "Lưu điểm danh" in attendance
    evaluation = page_text(client_for(world.official), {"doi_tuong": "danh-gia"})
    assert (
        "Nộp tự đánh giá" in evaluation and "<del>70</del> → <strong>82,5</strong>" in evaluation
    )  # points as Vietnamese write them
    assert "Đã nộp tự đánh giá" in evaluation or "Chờ" in evaluation or "→" in evaluation


def test_every_kind_of_object_is_in_the_trail(world, changes, client_for):
    client = client_for(world.official)
    for kind, expected in [
        ("trung-tam", "0912345678"),
        ("giang-vien", "Trường THCS Đông Phương"),
        ("phan-cong", "Đang tham gia"),
        ("lop-hoc", "Nhà văn hóa thôn Nam"),
        ("nguoi-hoc", "Thôn Bắc"),
        ("ghi-danh", "01/06/2026"),
    ]:
        assert expected in page_text(client, {"doi_tuong": kind}), kind


def test_filters_by_centre_user_and_date(world, changes, client_for):
    client = client_for(world.official)
    b_only = page_text(client, {"trung_tam": world.centre_b.pk})
    assert "0987654321" in b_only and "Phạm Văn Đức" not in b_only
    assert "0987654321" not in page_text(client, {"nguoi": "staff_a"})
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert "Không có thay đổi nào khớp bộ lọc." in page_text(client, {"tu_ngay": tomorrow})
    today = timezone.localdate().isoformat()
    assert "Phạm Văn Đức" in page_text(client, {"tu_ngay": today, "den_ngay": today})
    bad = page_text(client, {"tu_ngay": today, "den_ngay": "2000-01-01"})
    assert "Ngày kết thúc phải sau hoặc cùng ngày bắt đầu." in bad


def test_outsider_official_sees_none_of_the_provinces_changes(world, changes, client_for):
    text = page_text(client_for(world.other_official))
    assert "Không có thay đổi nào khớp bộ lọc." in text
    for name in ("Phạm Văn Đức", "0912345678", "Lò Thị Mai", "Kỹ thuật nuôi cá"):
        assert name not in text
    # A centre of province P named in the filter is a 404 for them.
    assert client_for(world.other_official).get(URL, {"trung_tam": world.centre_a.pk}).status_code == 404


@pytest.mark.parametrize("persona", ["staff_a", "staff_b", "reviewer_x", "reviewer_y"])
def test_staff_and_reviewers_are_refused(world, changes, client_for, persona):
    client = client_for(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reports:export", args=["nhat-ky"])).status_code == 403


def test_a_page_costs_a_fixed_number_of_queries(world, changes, client_for, django_assert_num_queries):
    """The same count whatever kinds the page's entries are of (issue 17): the rows of every kind in one query."""
    client = client_for(world.official)
    # session + user with their province (the header's name: accounts/backends.py); the province ids of the
    # official; the first 1,001 keys of the UNION (their count and the page's keys); the page's rows of every
    # kind, each with its previous one (one UNION); the centre choices of the filter.
    fixed = 2 + 1 + 1 + 1 + 1
    with django_assert_num_queries(fixed):
        text = page_text(client)  # entries of ten kinds
    assert "Lưu điểm danh" in text and "Phạm Văn Đức" in text and "Nộp tự đánh giá" in text
    with django_assert_num_queries(fixed):
        page_text(client, {"doi_tuong": "ban-giam-doc"})  # of one kind
    for n in range(60):  # many more changes of one kind: a page of that kind costs the same
        _edit(BoardMember.objects.get(pk=changes[0].pk), world.staff_a, main_post=f"Chức vụ {n}")
    with django_assert_num_queries(fixed):
        page_text(client, {"doi_tuong": "ban-giam-doc", "trang": "2"})
    with django_assert_num_queries(fixed):
        page_text(client, {"doi_tuong": "ban-giam-doc"})
    with django_assert_num_queries(fixed + 1):  # + the chosen centre (the form's check of it)
        page_text(client, {"trung_tam": world.centre_a.pk})  # the edits and nine other kinds


def test_pages_hold_fifty_changes_newest_first(world, changes, client_for):
    member = changes[0]
    for n in range(60):
        _edit(BoardMember.objects.get(pk=member.pk), world.official, main_post=f"Chức vụ số {n:02d}")
    client = client_for(world.official)
    first = page_text(client, {"doi_tuong": "ban-giam-doc"})
    assert "Chức vụ số 59" in first and "Chức vụ số 05" not in first
    assert "Trang 1/2" in first
    second = page_text(client, {"doi_tuong": "ban-giam-doc", "trang": "2"})
    assert "<del>Chức vụ số 04</del> → <strong>Chức vụ số 05</strong>" in second


def test_export_lists_one_row_per_changed_field(world, changes, client_for):
    client = client_for(world.official)
    page = page_text(client, {"doi_tuong": "ban-giam-doc"})
    assert f"{reverse('reports:export', args=['nhat-ky'])}?doi_tuong=ban-giam-doc" in page
    response = client.get(reverse("reports:export", args=["nhat-ky"]), {"doi_tuong": "ban-giam-doc"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "Nhật ký thay đổi dữ liệu"
    assert [c.value for c in sheet[HEADER_ROW]][:8] == [
        "Ngày",
        "Giờ",
        "Người thực hiện",
        "Loại đối tượng",
        "Đối tượng",
        "Trung tâm",
        "Thao tác",
        "Nội dung",
    ]
    rows = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    edit = next(r for r in rows if r[6] == "Sửa")
    assert edit[7:10] == ["Chức vụ chính", "Chủ tịch Hội Nông dân xã", "Phó Chủ tịch UBND xã"]
    assert isinstance(edit[0], datetime.datetime) and edit[5] == world.centre_a.name
    assert sheet.cell(HEADER_ROW + 1, 1).number_format == "DD/MM/YYYY"
    assert all(r[3] == "Ban Giám đốc" for r in rows)
    other = client_for(world.other_official).get(reverse("reports:export", args=["nhat-ky"]))
    sheet = load_workbook(io.BytesIO(b"".join(other.streaming_content))).active
    assert [r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if any(r)] == []


def test_changes_through_the_services_carry_their_user(world, client_for):
    centre = Centre.objects.with_units().get(pk=world.centre_a.pk)
    centre_services.centre_update(centre=centre, fields={"address": "Thôn Đông, xã Đông Phương"}, by=world.official)
    text = page_text(client_for(world.official), {"doi_tuong": "trung-tam"})
    assert "Thôn Đông, xã Đông Phương" in text and "Địa chỉ" in text


# The markup reports/partials/audit_changes.html had as a template, included once per row before issue 18.
CHANGES_TEMPLATE = (
    '{% load i18n %}{% if entry.changes %}<ul class="list-unstyled mb-0">{% for c in entry.changes %}<li><span '
    'class="text-muted">{{ c.field }}:</span> {% if c.old %}<del>{{ c.old }}</del> → {% endif %}<strong>'
    '{{ c.new|default:"—" }}</strong></li>{% endfor %}</ul>{% endif %}\n{% if entry.reason %}<div class="text-muted">'
    "{% blocktranslate with reason=entry.reason %}Lý do: {{ reason }}{% endblocktranslate %}</div>{% endif %}"
)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ([("Chức vụ chính", "Chủ tịch <xã>", 'Phó & "Chủ tịch"')], ""),
        ([("Số người dự", "", "35"), ("Ghi chú", "cũ", "")], "Nhập sai <b>số</b>"),
        ([], "Lưu trữ cùng lớp"),
        ([], ""),
    ],
)
def test_changes_are_written_as_the_template_wrote_them(changes, reason):
    from django.template import Context, Template

    from reports.audit import AuditEntry, Change

    entry = AuditEntry(timezone.now(), "A", "Lớp học", "L", "", "Sửa", [Change(*c) for c in changes], reason=reason)
    assert entry.changes_html == Template(CHANGES_TEMPLATE).render(Context({"entry": entry}))


def test_more_changes_than_counted_say_more_than_and_page_on(world, changes, client_for, monkeypatch):
    from reports import audit

    monkeypatch.setattr(audit, "COUNTED", 100)
    member = changes[0]
    for n in range(120):
        _edit(BoardMember.objects.get(pk=member.pk), world.official, main_post=f"Chức vụ số {n:03d}")
    client = client_for(world.official)
    first = page_text(client, {"doi_tuong": "ban-giam-doc"})
    assert "Hơn 100 thay đổi" in first and "Trang 1<" in first and "Trang 1/" not in first
    assert "Chức vụ số 119" in first and "Trang sau" in first
    # A page beyond the counted ones reads its own keys: page 3 holds the oldest (121 edits + the creation).
    third = page_text(client, {"doi_tuong": "ban-giam-doc", "trang": "3"})
    assert "<del>Chức vụ số 000</del> → <strong>Chức vụ số 001</strong>" in third
    assert "Trang sau" not in third and "Trang trước" in third
    # Past the end: the last page, counted to the end.
    assert "Trang 3/3" in page_text(client, {"doi_tuong": "ban-giam-doc", "trang": "9"})
    # At most COUNTED changes: counted exactly, as before.
    monkeypatch.setattr(audit, "COUNTED", 1000)
    assert "122 thay đổi" in page_text(client, {"doi_tuong": "ban-giam-doc"})


def test_postgresql_runs_a_pages_kept_statement_the_second_time(world, changes, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    client = client_for(world.official)
    with CaptureQueriesContext(connection) as first_run:
        first = page_text(client, {"doi_tuong": "ban-giam-doc"})
    with CaptureQueriesContext(connection) as second_run:
        second = page_text(client, {"doi_tuong": "ban-giam-doc"})
    assert any(" PREPARE audit_keys_" in f" {q['sql']}" for q in first_run.captured_queries)
    assert any(q["sql"].startswith("EXECUTE audit_keys_") for q in second_run.captured_queries)

    def without_token(text):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert without_token(first) == without_token(second) and "Phạm Văn Đức" in second


# The audit trail's rows as its template's loop wrote them before issue 18.
ROWS_TEMPLATE = (
    '{% load i18n %}{% for e in entries %}\n    <tr data-key="{{ e.object_label }}">\n      <td class="text-nowrap"'
    ' data-label="{% translate "Thời điểm" %}">{{ e.when|date:"SHORT_DATE_FORMAT" }}<div class="small text-muted'
    ' stack-inline"> {{ e.when|time:"H:i" }}</div></td>\n      <td data-label="{% translate "Người thực hiện" %}">'
    '{{ e.who }}</td>\n      <td><span class="badge text-bg-light">{{ e.kind_label }}</span> '
    '{{ e.object_label }}<div class="small text-muted">{{ e.action }}{% if e.centre %}<span class="d-md-none"> · '
    '{{ e.centre }}</span>{% endif %}</div></td>\n      <td class="d-none d-md-table-cell small">'
    '{{ e.centre|default:"—" }}</td>\n      <td class="small">\n        {{ e.changes_html }}\n      </td>\n'
    "    </tr>\n  {% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_rows_are_written_as_the_template_wrote_them(world, changes, language):
    from django.template import Context, Template
    from django.utils import translation

    from reports import audit

    with translation.override(language):
        entries = audit.recent_entries(user=world.official, filters=audit.AuditFilters(), limit=50)
        entries.append(audit.AuditEntry(timezone.now(), "<A & 'B'>", "Lớp học", 'L "x"', "", "Sửa"))
        assert len(entries) > 10
        assert audit.rows_html(entries) == Template(ROWS_TEMPLATE).render(Context({"entries": entries}))


def test_every_column_of_the_trails_rows_is_a_type_it_reads_back():
    # The page's rows come back as JSON arrays and are turned into model instances by reports.audit._converter:
    # a column of a type it does not know (a TimeField, a FloatField, a DurationField…) would come back as JSON's
    # string or number, and its old → new values would be wrong. Adding one to a history table fails here first.
    from reports.audit import SOURCES

    known = {
        "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "DateTimeField",
        "DecimalField", "ForeignKey", "IntegerField", "JSONField", "OneToOneField", "PositiveBigIntegerField",
        "PositiveIntegerField", "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField",
    }  # fmt: skip
    for kind, source in SOURCES.items():
        models = [source.model]
        for path in source.related:
            model = source.model
            for step in path.split("__"):
                model = model._meta.get_field(step).related_model
                models.append(model)
        for model in models:
            for f in model._meta.concrete_fields:
                assert f.get_internal_type() in known, (kind, model.__name__, f.name, f.get_internal_type())
