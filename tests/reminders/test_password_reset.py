"""Password reset by e-mail: Django's flow in Vietnamese, rate-limited, revealing nothing about addresses."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _address(world):
    world.staff_a.email = "lan@example.vn"
    world.staff_a.save(update_fields=["email"])


def test_a_known_address_gets_a_link_that_sets_a_new_password(world, client):
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "lan@example.vn"})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert len(mail.outbox) == 1 and "Đặt lại mật khẩu" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/tai-khoan/dat-lai-mat-khau/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Rau-sach-2026!", "new_password2": "Rau-sach-2026!"}
    )
    assert done.status_code == 302
    world.staff_a.refresh_from_db()
    assert world.staff_a.check_password("Rau-sach-2026!")
    # Used once: the link no longer works.
    assert "không còn hiệu lực" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    known = client.post("/tai-khoan/quen-mat-khau/", {"email": "lan@example.vn"})
    unknown = client.post("/tai-khoan/quen-mat-khau/", {"email": "khong-co@example.vn"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = client.get(unknown["Location"]).content.decode()
    assert "Nếu có tài khoản dùng địa chỉ thư điện tử bạn vừa nhập" in page


def test_one_address_gets_at_most_the_limit_of_mails_but_the_same_answer(client, settings):
    settings.PASSWORD_RESET_PER_EMAIL_HOUR = 2
    settings.PASSWORD_RESET_PER_ADDRESS_HOUR = 100
    answers = {client.post("/tai-khoan/quen-mat-khau/", {"email": "lan@example.vn"})["Location"] for _ in range(4)}
    assert answers == {"/tai-khoan/quen-mat-khau/da-gui/"}
    assert len(mail.outbox) == 2


def test_one_client_is_refused_after_the_limit(client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS_HOUR = 3
    for _ in range(3):
        assert client.post("/tai-khoan/quen-mat-khau/", {"email": "ai@example.vn"}).status_code == 302
    refused = client.post("/tai-khoan/quen-mat-khau/", {"email": "lan@example.vn"})
    assert refused.status_code == 200
    assert "quá nhiều lần" in refused.content.decode()
    assert not mail.outbox


def test_the_login_page_links_to_it(client):
    assert "/tai-khoan/quen-mat-khau/" in client.get("/tai-khoan/dang-nhap/").content.decode()
