"""Factories for the units every test needs. App-specific factories live beside their tests."""

import datetime
import importlib

import factory
from django.conf import settings

from accounts.models import Office, User
from centres.models import Centre, centre_default_name
from courses.models import ProgrammeKind
from units.models import Commune, District, Province


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(lambda n: f"{(n % 59) + 40:02d}")  # past the world's 33 and 34
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    valid_from = datetime.date(2000, 1, 1)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    province = factory.SubFactory(ProvinceFactory)
    # 400–999: never the codes tests give by hand (the world's 340 and 341) nor the demo's real districts
    # (323–343): a long run of one xdist worker used to reach 340 and collide with the world's district.
    code = factory.Sequence(lambda n: f"{(n % 600) + 400:03d}")
    name = factory.Sequence(lambda n: f"Huyện Thử {n}")
    valid_from = datetime.date(2000, 1, 1)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    district = factory.SubFactory(DistrictFactory)
    province = factory.LazyAttribute(lambda o: o.district.province)
    code = factory.Sequence(lambda n: f"{(n % 79999) + 20000:05d}")  # past the world's and the demo's (1xxxx)
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    kind = Commune.Kind.XA
    valid_from = datetime.date(2000, 1, 1)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    district = factory.SubFactory(DistrictFactory)
    province = factory.LazyAttribute(lambda o: o.district.province)
    name = factory.LazyAttribute(lambda o: f"Phòng GD&ĐT {o.district.name}")
    kind = Office.Kind.DISTRICT


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    commune = factory.SubFactory(CommuneFactory)
    name = factory.LazyAttribute(lambda o: centre_default_name(o.commune))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn A"
    last_name = "Nguyễn"
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# The kinds the courses data migration loads. A transactional (browser) test flushes the database, data
# migrations' rows included, so tests fetch kinds through programme_kind(), which recreates them as loaded.
PROGRAMME_KINDS = dict(importlib.import_module("courses.migrations.0002_load_programme_kinds").KINDS)


def programme_kind(code: str) -> ProgrammeKind:
    order = list(PROGRAMME_KINDS).index(code) + 1
    found, _created = ProgrammeKind.objects.get_or_create(
        code=code, defaults={"name": PROGRAMME_KINDS[code], "order": order}
    )
    return found


def ensure_programme_kinds() -> None:
    """One query when the kinds are there (the usual case); recreates them after a flush."""
    if ProgrammeKind.objects.filter(code__in=list(PROGRAMME_KINDS)).count() == len(PROGRAMME_KINDS):
        return
    for code in PROGRAMME_KINDS:
        programme_kind(code)
