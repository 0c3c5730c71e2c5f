import io
import random

import pytest
from django.core.management import call_command

from accounts import demo as accounts_demo
from accounts.models import User
from centres import demo as centres_demo
from portal import demo as portal_demo
from units import demo as units_demo


def seed_base(rng):
    for step in (units_demo.seed, accounts_demo.seed_offices, centres_demo.seed):
        step(rng=rng, log=lambda *_: None)


@pytest.mark.django_db
def test_demo_accounts_have_the_documented_roles_and_units(settings):
    settings.DEBUG = True
    rng = random.Random(1)
    seed_base(rng)
    portal_demo.seed_users(rng=rng, log=lambda *_: None)
    users = {u.username: u for u in User.objects.select_related("centre__commune", "office__district", "province")}
    assert users["demo_tinh"].role == User.Role.PROVINCE and users["demo_tinh"].province.name == "Tỉnh Hưng Yên"
    assert users["demo_tinh"].province.merged_into_id is None  # today's province, not the former one
    assert users["demo_huyen"].role == User.Role.REVIEWER
    assert users["demo_huyen"].office.kind == "cluster" and users["demo_huyen"].office.district is None
    assert users["demo_xa"].centre.commune.name == "Xã Bắc Đông Hưng" and users["demo_xa"].centre.is_active
    assert users["demo_admin"].role == User.Role.ADMIN
    assert users["demo_bo"].role == User.Role.MINISTRY and users["demo_bo"].province is None
    assert all(u.check_password(settings.DEMO_PASSWORD) for u in users.values())


@pytest.mark.django_db
def test_demo_accounts_are_never_created_when_debug_is_off(settings):
    settings.DEBUG = False
    rng = random.Random(1)
    seed_base(rng)
    portal_demo.seed_users(rng=rng, log=lambda *_: None)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_a_loaded_database_alone(settings):
    settings.DEBUG = True
    seed_base(random.Random(1))
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "bỏ qua" in out.getvalue()
    assert not User.objects.exists()
