"""ServerTimingMiddleware: the benchmark's headers appear only when BENCH_HEADERS is on."""

import re

from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from portal.views import bench_ping


def test_no_timing_headers_by_default(client_for, world):
    response = client_for(world.staff_a).get(reverse("home"))
    assert response.status_code == 200
    assert "Server-Timing" not in response and "X-Query-Count" not in response


def test_with_bench_headers_every_response_says_its_time_and_queries(world, settings):
    settings.BENCH_HEADERS = True
    client = Client()  # a new client loads the middleware with the setting on
    client.force_login(world.staff_a)
    response = client.get(reverse("home"))
    assert re.fullmatch(r"app;dur=\d+\.\d, db;dur=\d+\.\d", response["Server-Timing"])
    # session, user, (home's own queries): at least the two of authentication
    assert int(response["X-Query-Count"]) >= 2


def test_the_ping_page_exists_only_for_the_benchmark(world):
    try:
        reverse("bench_ping")
    except NoReverseMatch:
        pass
    else:
        raise AssertionError("/bench/ping/ must not be routed unless BENCH_HEADERS=1")
    request = RequestFactory().get("/bench/ping/")
    request.user = world.staff_a
    assert bench_ping(request).content == b"ok"
