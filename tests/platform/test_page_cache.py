"""Main pages kept while PostgreSQL's snapshot is unchanged (tthtcd_portal/page_cache.py, issue 18)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import Centre
from tests.conftest import is_postgres, queries_between_commits
from tthtcd_portal import page_cache


def without_tokens(content: bytes) -> bytes:
    """A page without its CSRF tokens (masked afresh by every rendering: a page rendered again differs there)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_inside_a_transaction_or_on_sqlite_nothing_is_kept_and_nothing_is_asked(db):
    with CaptureQueriesContext(connection) as queries:
        assert page_cache.current_snapshot() is None
    assert len(queries) == 0


@pytest.mark.postgres
def test_a_page_is_kept_until_something_commits(transactional_db, world, client):
    if not is_postgres():
        pytest.skip("the snapshot is PostgreSQL's")
    client.force_login(world.official)
    url = reverse("centres:list")
    client.get(url)  # the first page sets the CSRF cookie, which is part of the key
    assert world.centre_a.name in client.get(url).content.decode()
    kept, queries = queries_between_commits(lambda: client.get(url), kept=3)
    assert kept.status_code == 200 and world.centre_a.name in kept.content.decode()
    assert len(queries) <= 3  # the session, the user, the snapshot: the view did not run
    assert "no-store" in kept["Cache-Control"]
    Centre.objects.filter(pk=world.centre_a.pk).update(name="Trung tâm đổi tên")  # commits (autocommit)
    assert "Trung tâm đổi tên" in client.get(url).content.decode()


@pytest.mark.postgres
def test_each_session_has_its_own_pages(transactional_db, world, client):
    if not is_postgres():
        pytest.skip("the snapshot is PostgreSQL's")
    from django.test import Client

    other = Client()
    client.force_login(world.official)
    other.force_login(world.reviewer_x)
    url = reverse("centres:list")
    client.get(url), other.get(url)  # the CSRF cookies
    mine, theirs = without_tokens(client.get(url).content), without_tokens(other.get(url).content)
    assert without_tokens(client.get(url).content) == mine and without_tokens(other.get(url).content) == theirs
    assert mine != theirs  # each sees their own scope and role
