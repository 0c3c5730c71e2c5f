"""Each province owns its settings (issue 16.1): rubric, criteria, thresholds, deadlines, report header and
signer, reviewing offices, the programme kinds it uses. With two provinces A (world.province, `official`) and
B (world.other_province, `other_official`): B's official gets 404 for A's objects and cannot change them by
POST; A's change does not touch B."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import ProgrammeKind, ProvinceProgrammeKind
from courses.selectors import kinds_for_province
from evaluations import services
from evaluations.models import EvaluationCycle, RatingThreshold, Rubric
from reports.models import ReportSettings
from tests.evaluations.factories import last_year
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, OfficeFactory, ProvinceFactory
from units.models import REFORM_DATE, Province

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubrics(world):
    """The same year's rubric in A and in B."""
    year = last_year()
    return (
        services.rubric_create_default(province=world.province, year=year),
        services.rubric_create_default(province=world.other_province, year=year),
    )


def _snapshot(rubric):
    rubric.refresh_from_db()
    return (
        rubric.title,
        rubric.total_points,
        sorted(rubric.criteria.values_list("title", "max_points")),
        sorted(rubric.thresholds.values_list("rating", "min_total")),
    )


def test_one_rubric_and_one_cycle_per_province_and_year(world, rubrics):
    a, b = rubrics
    assert a.year == b.year and a.province != b.province
    with pytest.raises(services.EvaluationError):
        services.rubric_create_default(province=world.province, year=a.year)
    due = dict(
        self_assessment_due=timezone.localdate(), review_due=timezone.localdate(), approval_due=timezone.localdate()
    )
    services.cycle_save(province=world.province, year=a.year, by=world.official, **due)
    services.cycle_save(province=world.other_province, year=a.year, by=world.other_official, **due)
    assert EvaluationCycle.objects.filter(year=a.year).count() == 2


def test_an_assessment_takes_the_rubric_of_its_centres_province(world, rubrics):
    a, b = rubrics
    other_centre = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=world.other_province)))
    assert services.assessment_start(centre=world.centre_a, year=a.year, by=world.staff_a).rubric == a
    assert services.assessment_start(centre=other_centre, year=b.year, by=None).rubric == b


def test_a_former_provinces_centre_keeps_its_former_provinces_rubric(world):
    """After the reform a former province's centre of a pre-reform year is rated by its own province's rubric;
    today's province sees it as history, read-only."""
    today = ProvinceFactory(code="33", name="Tỉnh Hưng Yên", valid_from=REFORM_DATE)
    Province.objects.filter(pk=world.province.pk).update(
        merged_into=today, valid_until=REFORM_DATE - datetime.timedelta(days=1)
    )
    former = services.rubric_create_default(province=world.province, year=2024)
    current = services.rubric_create_for_year(province=today, year=2025, by=None)
    assert current.copied_from == former  # a new province starts from its predecessor's latest
    assert services.assessment_start(centre=world.centre_a, year=2024, by=world.staff_a).rubric == former
    from tests.factories import UserFactory

    official = UserFactory(username="today_official", role="province", province=today)
    from django.test import Client

    client = Client()
    client.force_login(official)
    page = client.get(reverse("evaluations:rubric", args=[former.pk]))
    assert page.status_code == 200 and 'data-testid="history"' in page.content.decode()
    before = _snapshot(former)
    response = client.post(
        reverse("evaluations:rubric_settings", args=[former.pk]), {"title": "X", "total_points": "100"}
    )
    assert response.status_code == 403 and _snapshot(former) == before
    assert client.get(reverse("evaluations:rubric", args=[current.pk])).status_code == 200
    listing = client.get(reverse("evaluations:rubrics")).content.decode()
    assert former.title in listing and "tỉnh cũ" in listing


RUBRIC_WRITES = [
    ("evaluations:rubric_settings", lambda r: [r.pk], lambda r: {"title": "Đổi", "total_points": "120"}),
    (
        "evaluations:criterion_add",
        lambda r: [r.pk],
        lambda r: {"new-group": "4", "new-title": "Lạ", "new-description": "", "new-max_points": "1"},
    ),
    (
        "evaluations:criterion_edit",
        lambda r: [r.pk, r.criteria.first().pk],
        lambda r: {
            f"c{r.criteria.first().pk}-group": "1",
            f"c{r.criteria.first().pk}-title": "Đổi",
            f"c{r.criteria.first().pk}-description": "",
            f"c{r.criteria.first().pk}-max_points": "1",
        },
    ),
    ("evaluations:criterion_delete", lambda r: [r.pk, r.criteria.first().pk], lambda r: {}),
    (
        "evaluations:thresholds",
        lambda r: [r.pk],
        lambda r: {f"{t.rating}-min_total": "1" for t in RatingThreshold.objects.filter(rubric=r)},
    ),
    (
        "evaluations:cycle",
        lambda r: [r.pk],
        lambda r: {"self_assessment_due": "2030-01-01", "review_due": "2030-01-02", "approval_due": "2030-01-03"},
    ),
]


@pytest.mark.parametrize("name,args,data", RUBRIC_WRITES, ids=[w[0] for w in RUBRIC_WRITES])
def test_another_provinces_official_can_neither_see_nor_change_the_rubric(world, rubrics, client_for, name, args, data):
    a, b = rubrics
    client = client_for(world.other_official)
    assert client.get(reverse("evaluations:rubric", args=[a.pk])).status_code == 404
    before, cycles = _snapshot(a), EvaluationCycle.objects.count()
    assert client.post(reverse(name, args=args(a)), data(a)).status_code == 404
    assert _snapshot(a) == before and EvaluationCycle.objects.count() == cycles
    # B's official reaches B's own rubric, and the list names only B's.
    assert client.get(reverse("evaluations:rubric", args=[b.pk])).status_code == 200
    listing = client.get(reverse("evaluations:rubrics")).content.decode()
    assert reverse("evaluations:rubric", args=[b.pk]) in listing
    assert reverse("evaluations:rubric", args=[a.pk]) not in listing


@pytest.mark.parametrize("name,args,data", RUBRIC_WRITES, ids=[w[0] for w in RUBRIC_WRITES])
def test_a_provinces_change_does_not_touch_the_other(world, rubrics, client_for, name, args, data):
    a, b = rubrics
    before = _snapshot(b)
    response = client_for(world.official).post(reverse(name, args=args(a)), data(a))
    assert response.status_code in (302, 400)
    assert _snapshot(b) == before
    assert not EvaluationCycle.objects.filter(province=world.other_province).exists()


def test_creating_the_next_year_makes_the_officials_province_only(world, rubrics, client_for):
    a, _b = rubrics
    client = client_for(world.other_official)
    # B's official cannot create a year for A, even naming A.
    response = client.post(reverse("evaluations:rubrics"), {"nam": a.year + 1, "tinh": world.province.pk})
    assert response.status_code == 404
    assert not Rubric.objects.filter(year=a.year + 1).exists()
    client_for(world.official).post(reverse("evaluations:rubrics"), {"nam": a.year + 1})
    assert list(Rubric.objects.filter(year=a.year + 1).values_list("province", flat=True)) == [world.province.pk]


def test_deadlines_are_the_provinces_own(world, rubrics, client_for):
    a, b = rubrics
    client_for(world.official).post(
        reverse("evaluations:cycle", args=[a.pk]),
        {"self_assessment_due": "2030-01-01", "review_due": "2030-01-02", "approval_due": "2030-01-03"},
    )
    cycle = EvaluationCycle.objects.get()
    assert cycle.province == world.province
    page = client_for(world.other_official).get(reverse("evaluations:rubric", args=[b.pk])).content.decode()
    assert "2030-01-01" not in page and "01/01/2030" not in page


def test_report_settings_of_another_province_are_a_404(world, client_for):
    ReportSettings.objects.create(province=world.province, parent_body="UBND TỈNH A", place_name="A")
    client = client_for(world.other_official)
    url = f"{reverse('reports:settings')}?tinh={world.province.pk}"
    assert client.get(url).status_code == 404
    data = {"parent_body": "ĐỔI", "issuing_body": "SỞ", "place_name": "B", "signer_title": "GĐ", "signer_name": ""}
    assert client.post(url, data).status_code == 404
    assert ReportSettings.objects.get(province=world.province).parent_body == "UBND TỈNH A"
    # B's own page shows B, and saving it leaves A alone.
    page = client.get(reverse("reports:settings")).content.decode()
    assert world.other_province.name in page and "UBND TỈNH A" not in page
    client.post(reverse("reports:settings"), data)
    assert ReportSettings.objects.get(province=world.province).parent_body == "UBND TỈNH A"


def test_reviewing_offices_of_another_province_are_a_404(world, client_for):
    client = client_for(world.other_official)
    assert client.get(reverse("evaluations:office", args=[world.office_x.pk])).status_code == 404
    assert client.post(reverse("evaluations:bulk_approve", args=[world.office_x.pk])).status_code == 404
    # The assignment page offers B's offices only; posting A's centre to A's other office changes nothing.
    own = OfficeFactory(district=DistrictFactory(province=world.other_province))
    page = client.get(reverse("evaluations:assign_offices")).content.decode()
    assert f'value="{own.pk}"' in page and f'value="{world.office_y.pk}"' not in page
    client.post(reverse("evaluations:assign_offices"), {"office": world.office_y.pk, "centres": [world.centre_a.pk]})
    world.centre_a.refresh_from_db()
    assert world.centre_a.review_office == world.office_x


def test_a_province_hides_the_kinds_it_does_not_use_without_touching_another(world, client_for):
    hidden = ProgrammeKind.objects.filter(is_active=True).first()
    used = [k.pk for k in ProgrammeKind.objects.filter(is_active=True) if k != hidden]
    client_for(world.official).post(reverse("courses:kinds"), {"dung": used})
    assert list(ProvinceProgrammeKind.objects.values_list("province", "programme_kind")) == [
        (world.province.pk, hidden.pk)
    ]
    assert hidden not in kinds_for_province(world.province)
    assert hidden in kinds_for_province(world.other_province)
    # B's official saves B's list: A's hide row stays; nobody else's page or the national list changes.
    client_for(world.other_official).post(reverse("courses:kinds"), {"dung": used + [hidden.pk]})
    assert ProvinceProgrammeKind.objects.filter(province=world.province, programme_kind=hidden).exists()
    assert ProgrammeKind.objects.get(pk=hidden.pk).is_active
    # The national list is the administrators': an official's edit of a kind is refused.
    response = client_for(world.other_official).post(
        reverse("courses:kind_edit", args=[hidden.pk]), {"name": "Đổi", "code": "doi", "order": 1, "is_active": "on"}
    )
    assert response.status_code == 403 and ProgrammeKind.objects.get(pk=hidden.pk).name != "Đổi"


def test_a_hidden_kind_leaves_the_class_form_but_a_class_recorded_with_it_keeps_it(world, client_for):
    from courses.forms import CourseForm
    from tests.courses.factories import CourseFactory

    hidden = ProgrammeKind.objects.filter(is_active=True).first()
    course = CourseFactory(centre=world.centre_a, programme_kind=hidden)
    ProvinceProgrammeKind.objects.create(province=world.province, programme_kind=hidden)
    from centres.models import Centre

    new_form = CourseForm(centres=Centre.objects.filter(pk=world.centre_a.pk))
    assert hidden not in new_form.fields["programme_kind"].queryset
    assert hidden in CourseForm(instance=course).fields["programme_kind"].queryset
    page = client_for(world.staff_a).get(reverse("courses:create")).content.decode()
    assert f'<option value="{hidden.pk}"' not in page


def test_a_hidden_kind_is_refused_by_the_import_and_the_service_but_still_counts(world, client_for):
    from courses import services as course_services
    from courses.models import Course
    from tests.courses.factories import CourseFactory
    from tests.courses.test_excel import GOOD, filled_template, upload

    hidden = ProgrammeKind.objects.get(code="khuyen-nong")  # the third row of GOOD names it by code
    recorded = CourseFactory(centre=world.centre_a, programme_kind=hidden)
    ProvinceProgrammeKind.objects.create(province=world.province, programme_kind=hidden)
    client = client_for(world.staff_a)
    page = upload(client, filled_template(client, GOOD)).content.decode()
    assert "«khuyen-nong» không có trong danh sách loại chương trình." in page
    assert Course.objects.count() == 1
    with pytest.raises(ValidationError, match="Tỉnh không dùng loại chương trình này"):
        course_services.course_create(
            centre=world.centre_a,
            by=world.staff_a,
            programme_kind=hidden,
            title="Lớp mới",
            format=Course.Format.TALK,
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
        )
    # Another province's centre may still use it; the recorded class still shows and counts.
    assert hidden in kinds_for_province(world.other_province)
    assert client.get(reverse("courses:detail", args=[recorded.pk])).status_code == 200
    assert Course.objects.filter(programme_kind=hidden).count() == 1


def test_a_hidden_kind_leaves_the_dashboard_filter_and_the_import_template_of_that_province_only(world, client_for):
    import io

    from openpyxl import load_workbook

    hidden = ProgrammeKind.objects.filter(is_active=True).first()
    ProvinceProgrammeKind.objects.create(province=world.province, programme_kind=hidden)
    offered = client_for(world.official).get(reverse("reports:dashboard")).context["form"].fields["loai"].choices
    assert hidden.pk not in [value for value, _label in offered]
    other = client_for(world.other_official).get(reverse("reports:dashboard")).context["form"].fields["loai"].choices
    assert hidden.pk in [value for value, _label in other]
    template = client_for(world.staff_a).get(reverse("courses:import_template")).content
    names = [row[0].value for row in load_workbook(io.BytesIO(template)).worksheets[1].iter_rows(min_row=2)]
    assert hidden.name not in names and len(names) == ProgrammeKind.objects.filter(is_active=True).count() - 1


def test_an_administrator_sees_and_edits_every_provinces_rubric(world, rubrics, client_for):
    from tests.factories import UserFactory

    a, b = rubrics
    CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=world.other_province)))
    admin = client_for(UserFactory(username="admin_r", role="admin"))
    listing = admin.get(reverse("evaluations:rubrics")).content.decode()
    assert (
        reverse("evaluations:rubric", args=[a.pk]) in listing and reverse("evaluations:rubric", args=[b.pk]) in listing
    )
    admin.post(reverse("evaluations:rubric_settings", args=[b.pk]), {"title": "Bộ của B", "total_points": "100"})
    assert Rubric.objects.get(pk=b.pk).title == "Bộ của B" and Rubric.objects.get(pk=a.pk).title != "Bộ của B"
    admin.post(reverse("evaluations:rubrics"), {"nam": b.year + 1, "tinh": world.other_province.pk})
    assert list(Rubric.objects.filter(year=b.year + 1).values_list("province", flat=True)) == [world.other_province.pk]
