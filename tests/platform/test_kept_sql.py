"""Queries whose SQL is kept per key (tthtcd_portal/kept_sql.py): the first call builds through the ORM, later calls
of the same key run the kept statement without building, read the rows as they are now, and answer what the
ORM answers; a build that runs more than one statement is never kept."""

import pytest

from centres.models import Centre
from tests.factories import CentreFactory
from tthtcd_portal.kept_sql import forget_kept_sql, kept_count, kept_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty():
    forget_kept_sql()
    yield
    forget_kept_sql()


def _counting(build):
    calls = []

    def counted():
        calls.append(1)
        return build()

    return counted, calls


def test_a_kept_query_is_built_once_and_reads_the_rows_as_they_are(world, django_assert_num_queries):
    names, built = _counting(lambda: Centre.objects.order_by("name").values_list("pk", "name"))
    key = ("test", "names")
    assert kept_values(key, names, model=Centre) == list(Centre.objects.order_by("name").values_list("pk", "name"))
    extra = CentreFactory(name="AAA Trung tâm mới")
    with django_assert_num_queries(1):
        rows = kept_values(key, names, model=Centre)
    assert rows[0] == (extra.pk, "AAA Trung tâm mới") and len(rows) == 3
    assert len(built) == 1


def test_a_kept_count_and_each_key_is_its_own(world):
    def named(prefix):
        return lambda: Centre.objects.filter(name__startswith=prefix)

    assert kept_count(("a",), named("AAA"), model=Centre) == 0
    assert kept_count(("all",), named(""), model=Centre) == 2
    CentreFactory(name="AAA Trung tâm mới")
    assert kept_count(("a",), named("AAA"), model=Centre) == 1
    assert kept_count(("all",), named(""), model=Centre) == 3


def test_a_build_that_runs_another_query_is_not_kept(world):
    def build():
        first = Centre.objects.order_by("pk").values_list("pk", flat=True).first()  # a query of its own
        return Centre.objects.filter(pk=first).values_list("name")

    counted, built = _counting(build)
    assert kept_values(("two",), counted, model=Centre) == [(world.centre_a.name,)]
    assert kept_values(("two",), counted, model=Centre) == [(world.centre_a.name,)]
    assert len(built) == 2
