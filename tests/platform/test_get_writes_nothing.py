"""No page writes anything when it is only opened (issue 14, item 5): a GET is a read.

Before, opening a large export's link (a GET, no CSRF token) started a background job: four GETs made four
167,702-row jobs, and a link in an e-mail or an image tag could start them. This walks every page of the URLconf
(the URL walker's registry fills the ids with centre B's objects) as every persona who sees centre B, every
export and official report among them, with every export large enough for the background, and fails on any
INSERT, UPDATE or DELETE the GET runs (the session table aside: Django keeps sessions there)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from reports.exports import EXPORTS
from reports.official import OFFICIAL_REPORTS
from tests.platform.db_writes import WriteRecorder
from tests.platform.test_url_scoping import checked_routes, walk
from tests.platform.url_objects import Filler

INSIDERS = ["staff_b", "reviewer_y", "official"]


def urls_of(route, filler) -> list[str]:
    kwargs = filler.kwargs(route.keywords)
    if route.name == "reports:export":
        return [reverse(route.name, kwargs={"code": code}) for code in EXPORTS]
    if route.name == "reports:official":
        return [reverse(route.name, kwargs={"code": code}) for code in OFFICIAL_REPORTS]
    return [reverse(route.name, kwargs=kwargs)]


def test_no_page_writes_anything_when_opened(world, settings):
    settings.REPORTS_BACKGROUND_ROWS = 0  # every export takes the large-export path
    problems, opened = [], 0
    for persona in INSIDERS:
        client = Client()
        client.force_login(getattr(world, persona))
        for route in checked_routes(walk()):
            filler = Filler(world, route.app, route_name=route.name)
            if any(filler.entry(k) is None for k in route.keywords):
                continue  # the URL walker fails for it
            for url in urls_of(route, filler):
                recorder = WriteRecorder()
                with connection.execute_wrapper(recorder):
                    response = client.get(url)
                opened += response.status_code == 200
                if recorder.writes:
                    problems.append(f"GET {url} as {persona} ({response.status_code}) wrote: {recorder.writes}")
    assert opened > 60
    assert not problems, "\n".join(problems)


@pytest.mark.urls("tests.platform.leaky_urls")
def test_the_check_catches_a_page_that_writes_on_get(world):
    client = Client()
    client.force_login(world.official)
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        client.get(reverse("writes_on_get", args=[world.centre_b.pk]))
    assert recorder.writes and recorder.writes[0].upper().startswith("UPDATE")
