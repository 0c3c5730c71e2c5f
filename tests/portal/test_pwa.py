"""The installable web app (issue 19, item 1): a manifest in Vietnamese with PNG icons the project serves, a
service worker at the root that keeps only static files and the offline page, which is rendered for nobody; logout
tells the browser to forget what it kept."""

import json
import re
import struct

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.waiting import wait_for_worker
from tests.conftest import browser_login


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        data = handle.read(24)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_names_the_app_in_vietnamese_with_icons_the_project_serves(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Cổng quản lý Trung tâm học tập cộng đồng"
    assert manifest["short_name"] == "TTHTCĐ"
    assert (manifest["display"], manifest["start_url"], manifest["theme_color"]) == ("standalone", "/", "#0d6efd")
    sizes = {}
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/img/") and icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        sizes[icon["purpose"], icon["sizes"]] = png_size(path)
    assert sizes == {
        ("any", "192x192"): (192, 192),
        ("any", "512x512"): (512, 512),
        ("maskable", "512x512"): (512, 512),
    }


def test_the_service_worker_is_served_at_the_root_and_precaches_only_static_files_and_the_offline_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", script).group(1))
    assert precache and all(url.startswith("/static/") for url in precache)
    assert 'var SHELL = "/ngoai-tuyen/";' in script
    assert 'credentials: "omit"' in script  # the offline page is fetched without the user's cookies


def test_the_offline_page_is_the_same_for_everyone_and_names_nobody(client, world):
    anonymous = client.get(reverse("offline")).content
    client.force_login(world.staff_a)
    signed_in = client.get(reverse("offline")).content
    assert signed_in == anonymous
    text = signed_in.decode()
    assert "Ghi khi mất mạng" in text
    assert world.staff_a.get_full_name() not in text and "csrfmiddlewaretoken" not in text
    assert str(world.centre_a) not in text
    assert '<meta name="tthtcd-sw" content="/sw.js">' in text  # a first visit, signed in or not, installs the worker


def test_every_page_links_the_manifest_and_the_worker(client, world):
    client.force_login(world.staff_a)
    text = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in text
    assert '<meta name="tthtcd-sw" content="/sw.js">' in text
    assert 'href="/ngoai-tuyen/"' in text  # "Ghi khi mất mạng" in the staff's menu


def test_logout_tells_the_browser_to_forget_caches_and_storage(client, world):
    client.force_login(world.staff_a)
    response = client.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_finds_the_portal_installable(page, world):
    browser_login(page, "staff_a")
    page.goto(page.base_url + "/ngoai-tuyen/")
    wait_for_worker(page)
    expect(page.locator("#net-status")).to_have_text("Đang có mạng.")
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert not manifest.get("errors"), manifest["errors"]
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert errors in ([], ["in-incognito"]), errors  # Playwright's contexts are incognito-like


def test_the_worker_precaches_the_hashed_names_production_serves(client, settings, tmp_path):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    response = client.get("/sw.js")
    assert response.status_code == 200
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", response.content.decode()).group(1))
    assert all(re.search(r"\.[0-9a-f]{12}\.\w+$", url) for url in precache), precache
    assert all((tmp_path / url.removeprefix("/")).exists() for url in precache)
    assert 'var STATIC_PREFIX = "/static/";' in response.content.decode()
