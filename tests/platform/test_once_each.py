"""One place for each thing (issue 15, item 6), proved where a user would notice.

- Numbers typed into a URL or a form go through `tthtcd_portal/params.py`: a superscript digit, which
  `str.isdigit()` accepts and `int()` refuses, is a bad value (the default, a 404, "reload the page"), never a 500.
- One upload-size check (`tthtcd_portal/uploads.py`): the Excel imports and an assessment's attachments refuse
  an oversize file with the same message.
- One person-name formatter (`User.display_name`), one pager (`paginate`, `partials/pager.html`).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from evaluations import services
from tests.evaluations import factories
from tests.factories import UserFactory
from tthtcd_portal import uploads
from tthtcd_portal.spreadsheets import SpreadsheetError, check_upload

SUPERSCRIPT_TWO = "²"  # "²".isdigit() is True, int("²") raises ValueError


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("evaluations:home", {"nam": SUPERSCRIPT_TWO}),
        ("evaluations:overdue", {"nam": SUPERSCRIPT_TWO}),
        ("evaluations:distribution", {"nam": SUPERSCRIPT_TWO}),
        ("evaluations:distribution", {"so_voi": SUPERSCRIPT_TWO}),
        ("evaluations:assign_offices", {"don_vi": SUPERSCRIPT_TWO}),
    ],
)
def test_a_digit_that_is_not_a_number_in_a_url_shows_the_page(world, client_for, name, params):
    factories.rubric()
    response = client_for(world.official).get(reverse(name), params)
    assert response.status_code == 200


def test_a_digit_that_is_not_a_number_as_an_instructor_is_not_found(world, client_for):
    url = reverse("centres:instructor_link", args=[world.centre_a.pk])
    response = client_for(world.staff_a).post(url, {"instructor": SUPERSCRIPT_TWO, "kind": "co_huu"})
    assert response.status_code == 404


def test_a_digit_that_is_not_a_number_as_a_version_asks_to_reload(world, client_for):
    factories.rubric()
    draft = services.assessment_start(centre=world.centre_a, year=factories.last_year(), by=world.staff_a)
    response = client_for(world.official).post(
        reverse("evaluations:approve", args=[draft.pk]), {"version": SUPERSCRIPT_TWO}, follow=True
    )
    assert response.status_code == 200
    assert "Trang đã cũ; vui lòng tải lại." in response.content.decode()


def test_imports_and_attachments_refuse_an_oversize_file_alike(world, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("a.xlsx", b"x" * (1024 * 1024 + 200 * 1024))
    expected = "Tệp quá lớn (1,2 MB); giới hạn là 1,0 MB."
    assert uploads.upload_too_large(big) == expected
    with pytest.raises(SpreadsheetError) as refused:
        check_upload(big)
    assert str(refused.value) == expected
    factories.rubric()
    draft = services.assessment_start(centre=world.centre_a, year=factories.last_year(), by=world.staff_a)
    with pytest.raises(services.EvaluationError) as refused:
        services.assessment_attach(assessment=draft, uploaded=big, by=world.staff_a)
    assert refused.value.messages == [expected]
    assert uploads.upload_too_large(SimpleUploadedFile("a.xlsx", b"x" * 1024)) is None


@pytest.mark.parametrize(("first", "last", "shown"), [("Lan", "Nguyễn Thị", "Nguyễn Thị Lan"), ("", "", "lan_nt")])
def test_every_page_names_the_signed_in_user_one_way(world, client, first, last, shown):
    user = UserFactory(
        username="lan_nt", first_name=first, last_name=last, role=User.Role.CENTRE_STAFF, centre=world.centre_a
    )
    assert user.display_name == shown
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert html.count(shown) >= 1
