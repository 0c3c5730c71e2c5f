import datetime

import pytest
from django.urls import reverse

from centres import services
from centres.models import BoardMember, Centre, Instructor, InstructorAssignment
from evaluations.models import Assessment
from library.models import Library
from tests import clock
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tests.courses.factories import CourseFactory
from tests.factories import CentreFactory, CommuneFactory
from tests.reports.factories import AssessmentFactory, FigureFactory
from tests.reports.factories import kind as figure_kind
from units.models import REFORM_DATE

pytestmark = pytest.mark.django_db
D = datetime.date


def url(name, *args):
    return reverse(f"centres:{name}", args=args)


# --- List ------------------------------------------------------------------------------------------


def test_reviewer_lists_only_the_centres_of_their_office(world, client_for):
    body = client_for(world.reviewer_x).get(url("list")).content.decode()
    assert world.centre_a.name in body
    assert world.centre_b.name not in body


def test_official_lists_the_province_and_centre_staff_are_refused(world, client_for):
    body = client_for(world.official).get(url("list")).content.decode()
    assert world.centre_a.name in body and world.centre_b.name in body
    assert client_for(world.staff_a).get(url("list")).status_code == 403
    assert world.centre_a.name not in client_for(world.other_official).get(url("list")).content.decode()


def test_list_filters_and_search(world, client_for):
    Library.objects.create(centre=world.centre_b, kind=Library.Kind.THU_VIEN)  # the library app's row
    client = client_for(world.official)
    year = clock.this_year() - 1
    Assessment.objects.create(centre=world.centre_a, year=year, rating="tot", status="approved")

    def names(**params):
        body = client.get(url("list"), params).content.decode()
        return [c.name for c in (world.centre_a, world.centre_b) if c.name in body]

    assert names(huyen=world.district_y.pk) == [world.centre_b.name]
    assert names(thu_vien="1") == [world.centre_b.name]
    assert names(thu_vien="0") == [world.centre_a.name]
    assert names(xep_loai="tot") == [world.centre_a.name]
    assert names(xep_loai="none") == [world.centre_b.name]
    assert names(q="12694") == [world.centre_a.name]
    assert names(q="Thụy Trường") == [world.centre_b.name]
    assert names(tinh_trang="merged") == []


def _many_centres(world, n):
    for _ in range(n):
        centre = CentreFactory(commune=CommuneFactory(district=world.district_x), review_office=world.office_x)
        BoardMemberFactory(centre=centre, position=BoardMember.Position.GIAM_DOC)
        AssignmentFactory(centre=centre)


@pytest.mark.parametrize("n", [2, 10])
def test_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    _many_centres(world, n)
    client = client_for(world.official)
    # 1 session, 2 user with their unit (accounts/backends.py), 3 province ids (scoping), 4 count, 5 the page of
    # centres with director, instructor count and last year's rating as subqueries (the page's ids picked first
    # inside it: tthtcd_portal.pagination.IdsFirst), 6 districts for the filter.
    with django_assert_num_queries(6):
        response = client.get(url("list"))
    assert response.context["page"].paginator.count == n + 2


def test_each_page_holds_the_next_centres_in_the_lists_order(world, client_for):
    from centres.selectors import centre_list

    _many_centres(world, 60)
    client = client_for(world.official)
    ordered = [c.pk for c in centre_list(user=world.official, rating_year=clock.this_year() - 1)]
    # A page's rows are tuples of centres.views.ROW_VALUES, the centre's id first.
    first, second = (
        [row[0] for row in client.get(url("list"), {"trang": n}).context["page"].object_list] for n in (1, 2)
    )
    assert first + second == ordered and len(second) == 12


def test_a_kept_list_shows_the_rows_as_they_are_now_for_each_user_and_filter(world, client_for):
    """The list's SQL is kept per scope, day and filters (tthtcd_portal.kept_sql): run again, it reads the rows
    as they are, and another user's or another filter's list is its own."""

    def names(user, **params):
        page = client_for(user).get(url("list"), params).context["page"]
        return page.paginator.count, [row[1] for row in page.object_list]

    assert names(world.official) == (2, [world.centre_a.name, world.centre_b.name])
    assert names(world.reviewer_x) == (1, [world.centre_a.name])
    late = CentreFactory(commune=CommuneFactory(district=world.district_x, code="12000"), review_office=world.office_x)
    Centre.objects.filter(pk=world.centre_b.pk).update(name="Trung tâm đổi tên")
    assert names(world.official) == (3, [late.name, world.centre_a.name, "Trung tâm đổi tên"])
    assert names(world.reviewer_x) == (2, [late.name, world.centre_a.name])
    assert names(world.official, huyen=world.district_y.pk) == (1, ["Trung tâm đổi tên"])
    assert names(world.other_official) == (0, [])


def test_all_centres_render_on_one_page_when_asked(world, client_for):
    _many_centres(world, 60)
    client = client_for(world.reviewer_x)
    assert len(client.get(url("list")).context["page"].object_list) == 50
    response = client.get(url("list"), {"tat_ca": "1"})
    assert len(response.context["page"].object_list) == 61
    assert response.context["page"].paginator.num_pages == 1


# The rows as the list's template wrote them before they were written in Python (issue 18): the reference.
ROW_TEMPLATE = """{% load i18n %}{% for c in centres %}
    <tr data-key="{{ c.name }}">
      <td class="d-none d-md-table-cell">{{ c.commune.code }}</td>
      <td><a href="{% url 'centres:detail' c.pk %}">{{ c.name }}</a><div class="d-md-none small text-muted">{{ c.commune.code }}{% if c.commune.district %} · {{ c.commune.district.name }}{% endif %}{% if c.director_name %} · {{ c.director_name }}{% endif %}</div></td>
      <td class="d-none d-md-table-cell">{{ c.commune.district.name|default:"—" }}</td>
      <td class="d-none d-md-table-cell">{{ c.director_name|default:"—" }}</td>
      <td class="text-end d-none d-md-table-cell">{{ c.instructor_count|so }}</td>
      <td class="d-none d-md-table-cell">{% if c.has_library %}{% translate "Có" %}{% else %}{% translate "Không" %}{% endif %}</td>
      <td data-label="{% blocktranslate with y=rating_year %}Xếp loại {{ y }}{% endblocktranslate %}">{{ c.last_rating_label|default:"—" }}</td>
      <td data-label="{% translate "Tình trạng" %}">{% if c.is_active %}<span class="badge text-bg-success">{{ c.get_status_display }}</span>{% else %}<span class="badge text-bg-secondary">{{ c.get_status_display }}</span>{% endif %}</td>
    </tr>
  {% endfor %}"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_list_rows_are_the_row_templates_markup(world, client_for, language):
    from django.template import engines
    from django.utils import translation

    from centres.models import Rating
    from centres.selectors import centre_list

    Library.objects.create(centre=world.centre_b, kind=Library.Kind.THU_VIEN)
    Assessment.objects.create(centre=world.centre_a, year=clock.this_year() - 1, rating="tot", status="approved")
    _many_centres(world, 3)
    odd = CentreFactory(commune=CommuneFactory(district=world.district_x, code="19999"), name='TT "<Đông> & Tây"')
    Centre.objects.filter(pk=odd.pk).update(
        status=Centre.Status.DISSOLVED, status_date=D(2020, 1, 1), review_office=world.office_x
    )
    client = client_for(world.official)
    client.cookies["django_language"] = language
    response = client.get(url("list"), {"tat_ca": "1"}, HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    ids = [row[0] for row in response.context["page"].object_list]
    listed = centre_list(user=world.official, rating_year=clock.this_year() - 1).in_bulk(ids)
    centres = [listed[pk] for pk in ids]
    labels = dict(Rating.choices)
    for c in centres:
        c.last_rating_label = labels.get(c.last_rating, "")
    with translation.override(language):
        expected = (
            engines["django"]
            .from_string(ROW_TEMPLATE)
            .render({"centres": centres, "rating_year": clock.this_year() - 1})
        )
    assert len(centres) == 6 and "&lt;Đông&gt;" in expected and "text-bg-secondary" in expected
    assert f"<tbody>\n  {expected}\n  </tbody>" in body


def test_an_empty_list_says_so(world, client_for):
    body = client_for(world.official).get(url("list"), {"q": "không có xã này"}).content.decode()
    assert (
        '<tbody>\n  \n    <tr><td colspan="8" class="text-muted">Không có trung tâm nào khớp bộ lọc.</td></tr>\n  \n  </tbody>'
        in body
    )


def test_mine_sends_staff_to_their_centre_and_others_to_the_list(world, client_for):
    assert client_for(world.staff_a).get(url("mine")).url == url("detail", world.centre_a.pk)
    assert client_for(world.reviewer_x).get(url("mine")).url == url("list")


# --- Centre page -----------------------------------------------------------------------------------


def test_outsiders_get_404_on_the_centre_page(world, client_for):
    for user in (world.staff_b, world.reviewer_y, world.other_official):
        assert client_for(user).get(url("detail", world.centre_a.pk)).status_code == 404


def test_centre_page_shows_board_past_members_instructors_and_history(world, client_for):
    BoardMemberFactory(centre=world.centre_a, position="giam_doc", full_name="Lê Văn Hiếu")
    BoardMemberFactory(centre=world.centre_a, full_name="Đỗ Thị Cúc", term_start=D(2016, 1, 1), term_end=D(2020, 1, 1))
    AssignmentFactory(centre=world.centre_a, instructor__full_name="Bùi Thị Thắm")
    services.centre_update(centre=world.centre_a, fields={"rooms": 3}, by=world.staff_a)
    response = client_for(world.reviewer_x).get(url("detail", world.centre_a.pk))
    data = response.context["data"]
    assert [m.full_name for m in data.board] == ["Lê Văn Hiếu"]
    assert [m.full_name for m in data.past_board] == ["Đỗ Thị Cúc"]
    body = response.content.decode()
    assert "Bùi Thị Thắm" in body
    assert "Số phòng học" in body and "Nguyễn Văn A" in body  # the change (old → new) and who made it
    # A reviewer reads: no edit buttons.
    assert url("edit", world.centre_a.pk) not in body
    assert url("board_add", world.centre_a.pk) not in body


def test_board_on_a_past_date(world, client_for):
    BoardMemberFactory(centre=world.centre_a, full_name="Đỗ Thị Cúc", term_start=D(2016, 1, 1), term_end=D(2020, 1, 1))
    BoardMemberFactory(centre=world.centre_a, full_name="Vũ Văn Nam", term_start=D(2021, 1, 1))
    data = client_for(world.staff_a).get(url("detail", world.centre_a.pk), {"ngay": "2018-05-01"}).context["data"]
    assert [m.full_name for m in data.board] == ["Đỗ Thị Cúc"]
    assert [m.full_name for m in data.upcoming_board] == ["Vũ Văn Nam"]


CENTRE_PAGE_QUERIES = 21
CENTRE_PAGE_QUERIES_KEPT = 17  # the centre's record kept (portal.selectors.centre_record): its four reads gone


@pytest.mark.parametrize("n", [2, 10])
def test_centre_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    for i in range(n):
        member = BoardMemberFactory(centre=world.centre_a, term_start=D(2016, 1, 1))
        services.board_member_end(member=member, term_end=D(2020, 1, 1 + i), by=world.staff_a)
        link = AssignmentFactory(centre=world.centre_a)
        services.instructor_update(
            link=link, person={"phone": "0912345678"}, assignment={"active": i % 2 == 0}, by=world.staff_a
        )
        # The sections other apps add: n classes, n years of figures and n assessments.
        CourseFactory(centre=world.centre_a, start_date=D(2025, 1, 1 + i))
        FigureFactory(
            centre=world.centre_a, year=2026 - i % 6, programme_kind=figure_kind(("khac", "phap-luat")[i // 6])
        )
        AssessmentFactory(centre=world.centre_a, year=2010 + i)
    services.centre_update(centre=world.centre_a, fields={"rooms": 4}, by=world.staff_a)  # every kind of change
    client = client_for(world.staff_a)
    # 1 session, 2 user, 3 centre with its units (the menu in base.html names the staff's centre from there), 4 the
    # data stamp of the centres its record reads (portal.selectors.centre_record), then, the record not kept yet:
    # 5 its assessments, 6 its figures by year and kind, 7 its district's sums per year, 8 predecessors with their
    # figures and latest rating as subqueries; 9 board, 10 instructors with their person, 11 its latest classes
    # with session and participation subqueries, 12 the history's keys (the audit trail's UNION of the registry's
    # four history tables), 13 the entries of those four kinds with their previous rows and users (one UNION),
    # 14-15 this year's plan against actual (planning.selectors.plan_vs_actual_total: the plan, its lines by kind;
    # the actual from the record's figures), 16 its equipment, 17-20 the library section (its library, the year's
    # months, reading events, latest holdings: four small queries cost less than one with their subqueries), 21 its
    # contributions by source and year.
    with django_assert_num_queries(CENTRE_PAGE_QUERIES):
        response = client.get(url("detail", world.centre_a.pk))
    assert len(response.context["data"].past_board) == n
    assert len(response.context["recent_classes"]) == min(n, 8)
    assert len(response.context["assessments"]) == n
    with django_assert_num_queries(CENTRE_PAGE_QUERIES_KEPT):
        kept = client.get(url("detail", world.centre_a.pk))
    assert kept.context["rows"] == response.context["rows"]  # the same figures, from the record kept
    assert kept.context["assessments"] == response.context["assessments"]


@pytest.mark.parametrize("predecessors", [0, 4])
def test_a_merged_centre_page_runs_as_many_queries_as_a_plain_one(
    world, client_for, django_assert_num_queries, predecessors
):
    """Issue 17 item 4: the count must not grow with the centres merged into this one, nor with their years."""
    year = clock.this_year()
    for i in range(predecessors):  # made in the reverse of the registry's order (by commune code)
        commune = CommuneFactory(district=world.district_x, code=f"{19990 - i}")
        old = CentreFactory(commune=commune, review_office=world.office_x)
        for back in range(2, 8):  # six years of figures, ratings and classes each
            FigureFactory(centre=old, year=year - back)
            AssessmentFactory(centre=old, year=year - back)
            CourseFactory(centre=old, start_date=D(year - back, 3, 1))
        services.centres_merge(sources=[old], target=world.centre_a, on_date=REFORM_DATE, by=world.official)
    for back in range(6):  # the new centre's own years, the plain centre's too
        FigureFactory(centre=world.centre_a, year=year - back)
        AssessmentFactory(centre=world.centre_a, year=year - back)
    # The same history either way: the merge records the old centres' rows, never the new one's.
    services.centre_update(centre=world.centre_a, fields={"rooms": 4}, by=world.staff_a)
    BoardMemberFactory(centre=world.centre_a)
    services.instructor_update(
        link=AssignmentFactory(centre=world.centre_a), person={"phone": "0912345678"}, assignment={}, by=world.staff_a
    )
    client = client_for(world.staff_a)
    # Exactly the queries of the fixed-count test above (the same four kinds of history: centre, board member,
    # instructor, assignment), with or without predecessors.
    with django_assert_num_queries(CENTRE_PAGE_QUERIES):
        response = client.get(url("detail", world.centre_a.pk))
    with django_assert_num_queries(CENTRE_PAGE_QUERIES_KEPT):
        client.get(url("detail", world.centre_a.pk))
    rows = response.context["predecessors"]
    assert [r.centre.commune.code for r in rows] == [f"{19990 - i}" for i in reversed(range(predecessors))]
    assert all(r.totals.first_year == year - 7 and r.totals.last_year == year - 2 for r in rows)
    assert all(r.rating_year == year - 2 for r in rows)


# --- Edits -----------------------------------------------------------------------------------------


def test_staff_edit_their_centre_and_see_it(world, client_for):
    client = client_for(world.staff_a)
    response = client.post(
        url("edit", world.centre_a.pk),
        {"name": world.centre_a.name, "phone": "0227381234", "address": "Thôn Nam", "has_seal": "on"},
    )
    assert response.status_code == 302
    world.centre_a.refresh_from_db()
    assert (world.centre_a.phone, world.centre_a.address, world.centre_a.has_seal) == ("0227381234", "Thôn Nam", True)


def test_bad_phone_is_refused_in_vietnamese_and_nothing_saved(world, client_for):
    response = client_for(world.staff_a).post(url("edit", world.centre_a.pk), {"name": "X", "phone": "12ab"})
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    world.centre_a.refresh_from_db()
    assert world.centre_a.phone == "" and world.centre_a.name != "X"


def test_facilities_are_edited_by_the_official(world, client_for):
    response = client_for(world.official).post(
        url("facilities", world.centre_b.pk),
        {"building": "school", "rooms": 2, "seats": 80, "computers_with_internet": 4},
    )  # fmt: skip
    assert response.status_code == 302
    world.centre_b.refresh_from_db()
    assert (world.centre_b.building, world.centre_b.seats) == ("school", 80)


@pytest.mark.parametrize("name", ["edit", "facilities", "board_add", "instructor_add", "merge"])
def test_reviewer_gets_403_and_outsiders_404_on_forms(world, client_for, name):
    assert client_for(world.reviewer_x).post(url(name, world.centre_a.pk), {"name": "X"}).status_code == 403
    assert client_for(world.staff_b).post(url(name, world.centre_a.pk), {"name": "X"}).status_code in (403, 404)
    assert client_for(world.other_official).post(url(name, world.centre_a.pk), {"name": "X"}).status_code in (403, 404)
    world.centre_a.refresh_from_db()
    assert world.centre_a.name != "X"


def test_staff_of_another_centre_get_404_on_forms(world, client_for):
    client = client_for(world.staff_b)
    for name in ("edit", "facilities", "board_add", "instructor_add"):
        assert client.get(url(name, world.centre_a.pk)).status_code == 404
    member = BoardMemberFactory(centre=world.centre_a)
    link = AssignmentFactory(centre=world.centre_a)
    assert client.post(url("board_edit", world.centre_a.pk, member.pk), {}).status_code == 404
    assert client.post(url("board_end", world.centre_a.pk, member.pk), {}).status_code == 404
    assert client.post(url("instructor_edit", world.centre_a.pk, link.pk), {}).status_code == 404
    # Their own centre's URL with another centre's member is also a 404.
    assert client.get(url("board_edit", world.centre_b.pk, member.pk)).status_code == 404


def board_post(**extra):
    return {
        "full_name": "Hoàng Văn Toàn",
        "gender": "nam",
        "position": "giam_doc",
        "main_post": "Phó Chủ tịch UBND xã",
        "engagement": "part_time",
        "appointment_decision": "45/QĐ-UBND",
        "term_start": "2024-01-01",
        "term_end": "",
        **extra,
    }


def test_staff_add_a_board_member(world, client_for):
    response = client_for(world.staff_a).post(url("board_add", world.centre_a.pk), board_post())
    assert response.status_code == 302
    member = BoardMember.objects.get(centre=world.centre_a)
    assert (member.full_name, member.position) == ("Hoàng Văn Toàn", "giam_doc")


def test_second_director_is_refused_on_the_form(world, client_for):
    BoardMemberFactory(centre=world.centre_a, position="giam_doc", full_name="Ngô Văn Sơn")
    response = client_for(world.staff_a).post(url("board_add", world.centre_a.pk), board_post())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngô Văn Sơn" in body and "Mỗi thời điểm chỉ có một Giám đốc" in body
    assert BoardMember.objects.filter(centre=world.centre_a).count() == 1


def test_term_end_before_start_is_refused_on_the_form(world, client_for):
    response = client_for(world.staff_a).post(
        url("board_add", world.centre_a.pk), board_post(position="uy_vien", term_end="2023-01-01")
    )
    assert "Ngày kết thúc nhiệm kỳ không được trước ngày bắt đầu" in response.content.decode()
    assert not BoardMember.objects.exists()


def test_edit_and_end_a_board_member(world, client_for):
    member = BoardMemberFactory(centre=world.centre_a)
    client = client_for(world.staff_a)
    assert (
        client.post(url("board_edit", world.centre_a.pk, member.pk), board_post(position="pho_giam_doc")).status_code
        == 302
    )
    member.refresh_from_db()
    assert (member.full_name, member.position) == ("Hoàng Văn Toàn", "pho_giam_doc")
    response = client.post(url("board_end", world.centre_a.pk, member.pk), {"term_end": "2023-12-31"})
    assert "không được trước ngày bắt đầu" in response.content.decode()
    assert client.post(url("board_end", world.centre_a.pk, member.pk), {"term_end": "2025-12-31"}).status_code == 302
    member.refresh_from_db()
    assert member.term_end == D(2025, 12, 31)


def instructor_post(**extra):
    return {
        "full_name": "Đặng Thị Yến",
        "gender": "nu",
        "birth_year": "1985",
        "ethnicity": "Kinh",
        "field": "y tế",
        "workplace": "Trạm Y tế xã",
        "phone": "0912345678",
        "kind": "bao_cao_vien",
        "engagement": "part_time",
        "active": "on",
        **extra,
    }


def test_staff_add_and_edit_an_instructor(world, client_for):
    client = client_for(world.staff_a)
    assert client.post(url("instructor_add", world.centre_a.pk), instructor_post()).status_code == 302
    link = InstructorAssignment.objects.select_related("instructor").get(centre=world.centre_a)
    assert (link.instructor.full_name, link.kind, link.active) == ("Đặng Thị Yến", "bao_cao_vien", True)
    response = client.post(
        url("instructor_edit", world.centre_a.pk, link.pk), instructor_post(field="pháp luật", active="")
    )
    assert response.status_code == 302
    link.refresh_from_db()
    link.instructor.refresh_from_db()
    assert (link.instructor.field, link.active) == ("pháp luật", False)


def test_instructor_with_a_bad_phone_is_refused_and_nothing_saved(world, client_for):
    response = client_for(world.staff_a).post(url("instructor_add", world.centre_a.pk), instructor_post(phone="abc"))
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    assert not Instructor.objects.exists()


def test_a_merged_centre_is_read_only_for_everyone(world, client_for):
    services.centres_merge(sources=[world.centre_b], target=world.centre_a, on_date=D(2025, 7, 1), by=world.official)
    for user in (world.staff_b, world.official):
        client = client_for(user)
        assert client.post(url("edit", world.centre_b.pk), {"name": "X"}).status_code == 403
        body = client.get(url("detail", world.centre_b.pk)).content.decode()
        assert "Đã sáp nhập" in body and url("edit", world.centre_b.pk) not in body


def test_official_creates_a_centre_but_not_a_duplicate(world, client_for):
    commune = CommuneFactory(district=world.district_x, name="Xã Đông Mỹ")
    client = client_for(world.official)
    response = client.post(url("create"), {"commune": world.centre_a.commune.pk})
    assert "đã có trung tâm đang hoạt động" in response.content.decode()
    assert client.post(url("create"), {"commune": commune.pk}).status_code == 302
    assert Centre.objects.get(commune=commune).name == "Trung tâm học tập cộng đồng xã Đông Mỹ"
    assert client_for(world.reviewer_x).post(url("create"), {"commune": commune.pk}).status_code == 403


# --- Merge from the interface ----------------------------------------------------------------------


def test_merge_shows_a_confirmation_then_merges(world, client_for):
    client = client_for(world.official)
    data = {"sources": [world.centre_b.pk], "on_date": "2025-07-01"}
    response = client.post(url("merge", world.centre_a.pk), data)
    body = response.content.decode()
    assert "Xác nhận sáp nhập" in body and world.centre_b.name in body and "01/07/2025" in body
    assert "Không có gì bị chuyển hay xóa" in body
    world.centre_b.refresh_from_db()
    assert world.centre_b.is_active  # nothing written before confirming
    response = client.post(url("merge", world.centre_a.pk), {**data, "confirm": "1"})
    assert response.status_code == 302
    world.centre_b.refresh_from_db()
    assert (world.centre_b.status, world.centre_b.merged_into_id) == ("merged", world.centre_a.pk)
    body = client.get(url("detail", world.centre_a.pk)).content.decode()
    assert world.centre_b.name in body  # listed as a predecessor


def test_merge_is_for_provincial_officials_only(world, client_for):
    data = {"sources": [world.centre_b.pk], "on_date": "2025-07-01", "confirm": "1"}
    assert client_for(world.staff_a).post(url("merge", world.centre_a.pk), data).status_code == 403
    assert client_for(world.other_official).post(url("merge", world.centre_a.pk), data).status_code == 404
    world.centre_b.refresh_from_db()
    assert world.centre_b.is_active


def test_merge_cannot_take_a_centre_out_of_scope(world, client_for, django_user_model):
    outside = CentreFactory()  # another province
    response = client_for(world.official).post(
        url("merge", world.centre_a.pk), {"sources": [outside.pk], "on_date": "2025-07-01", "confirm": "1"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    outside.refresh_from_db()
    assert outside.is_active


def test_staff_add_a_person_teaching_at_another_centre_found_by_phone(world, client_for):
    from centres.models import InstructorAssignment
    from tests.centres.factories import AssignmentFactory

    elsewhere = AssignmentFactory(centre=world.centre_b, instructor__phone="0912345678")
    person = elsewhere.instructor
    client = client_for(world.staff_a)
    page = client.get(reverse("centres:instructor_add", args=[world.centre_a.pk]), {"dien_thoai": "0912.345.678"})
    assert person.full_name in page.content.decode()
    # Nothing is listed without the exact phone number.
    page = client.get(reverse("centres:instructor_add", args=[world.centre_a.pk]), {"dien_thoai": "091234"})
    assert person.full_name not in page.content.decode()
    response = client.post(
        reverse("centres:instructor_link", args=[world.centre_a.pk]), {"instructor": person.pk, "kind": "bao_cao_vien"}
    )
    assert response.status_code == 302
    link = InstructorAssignment.objects.get(centre=world.centre_a, instructor=person)
    assert link.kind == "bao_cao_vien"
    assert InstructorAssignment.objects.filter(instructor=person).count() == 2  # one person, two centres
    again = client.post(
        reverse("centres:instructor_link", args=[world.centre_a.pk]), {"instructor": person.pk}, follow=True
    )
    assert "đã có trong danh sách giảng viên" in again.content.decode()


def test_linking_an_instructor_of_another_province_or_as_a_reviewer_is_refused(world, client_for):
    from tests.centres.factories import AssignmentFactory
    from tests.factories import CentreFactory, CommuneFactory, DistrictFactory

    far = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=world.other_province)))
    stranger = AssignmentFactory(centre=far, instructor__phone="0987654321").instructor
    url = reverse("centres:instructor_link", args=[world.centre_a.pk])
    assert client_for(world.staff_a).post(url, {"instructor": stranger.pk}).status_code == 404
    assert client_for(world.reviewer_x).post(url, {"instructor": stranger.pk}).status_code == 403


def test_board_appointment_records_the_decision_and_refuses_half_of_one(world, client_for):
    client = client_for(world.staff_a)
    response = client.post(
        url("board_add", world.centre_a.pk),
        board_post(appointment_decision="", decision_date="2025-07-05", decision_signer="Chủ tịch UBND xã"),
    )
    assert response.status_code == 200
    assert "Nhập số quyết định bổ nhiệm trước ngày và người ký." in response.content.decode()
    assert not BoardMember.objects.filter(centre=world.centre_a).exists()
    response = client.post(
        url("board_add", world.centre_a.pk),
        board_post(
            term_start="2025-07-05",
            appointment_decision="15/QĐ-UBND",
            decision_date="2025-07-02",
            decision_signer="Chủ tịch UBND xã",
        ),
    )
    assert response.status_code == 302
    member = BoardMember.objects.get(centre=world.centre_a)
    assert (member.appointment_decision, member.decision_date, member.decision_signer) == (
        "15/QĐ-UBND",
        D(2025, 7, 2),
        "Chủ tịch UBND xã",
    )
    body = client.get(url("detail", world.centre_a.pk)).content.decode()
    assert "15/QĐ-UBND, 02/07/2025" in body and "Chủ tịch UBND xã" in body


def test_new_centres_staff_see_their_predecessors_figures_and_ratings_read_only(world, client_for):
    FigureFactory(centre=world.centre_b, year=2023, sessions=40, participations=1200)
    FigureFactory(centre=world.centre_b, year=2024, sessions=35, participations=1100)
    AssessmentFactory(centre=world.centre_b, year=2024, status=Assessment.Status.APPROVED, rating="kha")
    AssessmentFactory(centre=world.centre_b, year=2023, status=Assessment.Status.APPROVED, rating="tot")
    services.centres_merge(sources=[world.centre_b], target=world.centre_a, on_date=D(2025, 7, 1), by=world.official)
    response = client_for(world.staff_a).get(url("detail", world.centre_a.pk))
    body = response.content.decode()
    section = body[body.index('data-testid="predecessors"') :]
    section = section[: section.index("</section>")]
    assert world.centre_b.name in section
    assert "01/07/2025" in section
    assert "75" in section and "2.300" in section and "2023–2024" in section
    assert "Khá" in section and "(2024)" in section
    # Read-only for the new centre's staff: no link into a page they cannot open, no edit action.
    assert f'href="{url("detail", world.centre_b.pk)}"' not in section
    assert client_for(world.staff_a).get(url("detail", world.centre_b.pk)).status_code == 404
    # The province opens the old centre's own page from there.
    body = client_for(world.official).get(url("detail", world.centre_a.pk)).content.decode()
    assert f'href="{url("detail", world.centre_b.pk)}"' in body
