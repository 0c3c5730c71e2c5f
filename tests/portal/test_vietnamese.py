"""Vietnamese order and one spelling of names (tthtcd_portal.vietnamese), on SQLite and PostgreSQL alike."""

import csv
import random
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Office, User
from centres.models import Instructor
from courses.models import Learner
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, OfficeFactory, ProvinceFactory, UserFactory
from tthtcd_portal.vietnamese import clean_name, person_sort_key, sort_key
from units.models import District

DATA = Path(__file__).resolve().parents[2] / "units" / "data"

# Each list is in Vietnamese order; the tests shuffle it and sort it back.
LETTERS = [
    "An",
    "Anh",
    "Ăn",
    "Ân Thi",
    "Bình",
    "Dương",
    "Đông Hưng",
    "Em",
    "Ê Đê",
    "Ong",
    "Ông",
    "Ơn",
    "Út",
    "Uy",
    "Ưu",
    "Vũ Thư",
]
TONES = ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ", "Hai"]  # none, huyền, hỏi, ngã, sắc, nặng; then the next letter
NUMBERS = ["Phường 1", "Phường 2", "Phường 10", "Phường 11", "Phường An Khánh"]
DISTRICTS = [
    "Huyện Đông Hưng",
    "Huyện Hưng Hà",
    "Huyện Kiến Xương",
    "Huyện Quỳnh Phụ",
    "Huyện Thái Thụy",
    "Huyện Tiền Hải",
    "Huyện Vũ Thư",
    "Thành phố Thái Bình",
]
# By given name (tên), then family and middle names: as Vietnamese lists of people are ordered.
PEOPLE = [
    "Trần Văn An",
    "Vũ Thị Ánh",
    "Đỗ Văn Ân",
    "Nguyễn Thị Bình",
    "Lê Văn Dũng",
    "Phạm Văn Đức",
    "Bùi Thị Ơn",
    "Hoàng Văn Ưng",
]


def shuffled(names):
    names = list(names)
    random.Random(7).shuffle(names)
    return names


@pytest.mark.parametrize(
    "expected", [LETTERS, TONES, NUMBERS, DISTRICTS], ids=["letters", "tones", "numbers", "districts"]
)
def test_sort_key_gives_the_vietnamese_alphabet_with_tones_second(expected):
    assert sorted(shuffled(expected), key=sort_key) == expected


def test_people_sort_by_given_name_then_family_name():
    assert sorted(shuffled(PEOPLE), key=person_sort_key) == PEOPLE
    assert sorted(["Trần Văn An", "Nguyễn Văn An"], key=person_sort_key) == ["Nguyễn Văn An", "Trần Văn An"]


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Hoà", "Hòa"),
        ("Thuỵ Trường", "Thụy Trường"),
        ("KHOẺ", "KHỎE"),
        ("Uỷ ban", "Ủy ban"),
        ("Quý", "Quý"),  # qu-: the tone stays on y
        ("Hoàng Hoá", "Hoàng Hóa"),  # a final consonant fixes the place: only the open syllable moves
        ("Huỳnh", "Huỳnh"),
        ("Xa\u0303  \u00a0Đông\tPhương\u200b ", "Xã Đông Phương"),  # NFD, double and non-breaking spaces, zero-width
        ("\u00d0ông Hưng", "Đông Hưng"),  # the Icelandic eth some keyboards give for Đ
    ],
)
def test_clean_name_keeps_one_spelling(written, kept):
    assert clean_name(written) == kept


@pytest.mark.django_db
def test_the_database_orders_units_offices_and_people_in_vietnamese(db):
    province = ProvinceFactory(code="34", name="Tỉnh Thái Bình")
    for n, name in enumerate(shuffled(DISTRICTS)):
        DistrictFactory(province=province, code=f"{340 + n}", name=name)
        OfficeFactory(province=province, name=f"Phòng GD&ĐT {name}", district=District.objects.get(name=name))
    for name in shuffled(PEOPLE):
        Instructor.objects.create(full_name=name, gender="nam")
    centre = CentreFactory(commune=CommuneFactory(district=District.objects.filter(province=province).first()))
    for name in shuffled(PEOPLE):
        Learner.objects.create(centre=centre, full_name=name, gender=Learner.Gender.FEMALE)
    for name in shuffled(PEOPLE):
        family, given = name.rsplit(" ", 1)
        UserFactory(username=f"u{len(name)}{given}", first_name=given, last_name=family, role=User.Role.ADMIN)

    assert list(District.objects.filter(province=province).values_list("name", flat=True)) == DISTRICTS
    offices = Office.objects.filter(province=province).values_list("name", flat=True)
    assert list(offices) == [f"Phòng GD&ĐT {d}" for d in DISTRICTS]
    assert list(Instructor.objects.values_list("full_name", flat=True)) == PEOPLE
    assert list(Learner.objects.values_list("full_name", flat=True)) == PEOPLE
    assert [f"{u.last_name} {u.first_name}" for u in User.objects.filter(username__startswith="u")] == PEOPLE


@pytest.mark.django_db
def test_the_database_and_python_agree_on_every_name_of_the_national_lists(db):
    """The same order from PostgreSQL's ICU collation, SQLite's registered one and `sort_key` in Python:
    every distinct province, district and commune name of both national lists (about 9,500)."""
    names = set(LETTERS + TONES + NUMBERS + PEOPLE)
    for file in ("gso_legacy_vn.csv", "gso_2025_vn.csv"):
        with (DATA / file).open(encoding="utf-8-sig", newline="") as handle:
            for row in list(csv.reader(handle))[1:]:
                names.update(clean_name(row[i]) for i in (0, 2, 4) if row[i])
    names = sorted(names)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE names_to_sort (name varchar(200))")
        cursor.executemany("INSERT INTO names_to_sort (name) VALUES (%s)", [(n,) for n in names])
        cursor.execute('SELECT name FROM names_to_sort ORDER BY name COLLATE "vi"')
        in_database = [row[0] for row in cursor.fetchall()]
    assert len(in_database) > 9000
    assert in_database == sorted(names, key=lambda n: (sort_key(n), n))
