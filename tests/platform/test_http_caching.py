"""Light pages on a slow link (issue 18): pages compressed for browsers that accept it, public pages answered
with a 304 when the browser already holds them, charts' JavaScript only on the pages that draw charts."""

import gzip

from django.urls import reverse

CHART_JS = "vendor/chartjs/chart.umd.min.js"


def test_a_signed_in_page_is_compressed_when_the_browser_accepts_it(client, world):
    client.force_login(world.official)
    plain = client.get(reverse("centres:list"))
    packed = client.get(reverse("centres:list"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 3
    assert world.centre_a.name in gzip.decompress(packed.content).decode()
    assert "no-store" in packed["Cache-Control"]  # still never kept by the browser


def test_public_pages_of_the_app_answer_304_when_unchanged(client):
    for url in (reverse("offline"), "/manifest.webmanifest", "/sw.js"):
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b"", url


def test_charts_javascript_only_on_pages_with_charts(client, world):
    client.force_login(world.official)
    assert CHART_JS in client.get(reverse("reports:dashboard")).content.decode()
    for url in (
        reverse("home"),
        reverse("centres:list"),
        reverse("courses:list"),
        reverse("centres:detail", args=[world.centre_a.pk]),
    ):
        assert CHART_JS not in client.get(url).content.decode(), url
