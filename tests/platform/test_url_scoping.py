"""The URL walker (issue 9, item 2): every page of the project, every persona, objects outside its scope.

For each named URL pattern:
  - anonymous: GET and POST are sent to the login page (or 405 for a method the page does not take),
    unless the page is in url_objects.PUBLIC;
  - with object ids in the URL: for every persona of the `world` fixture that does NOT see centre B
    (accounts.scoping decides: staff_a, reviewer_x, other_official), the ids of centre B's objects give
    404 on GET and 403/404 (or 405) on POST, and the POST writes nothing.
A URL keyword the registry (tests/platform/url_objects.py) does not know fails the test, naming the
pattern: so a new page cannot skip this check by accident.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from centres.models import Centre
from tests.platform.url_objects import PUBLIC, READ_DENIED_WITH_403, SKIPPED_NAMESPACES, Filler, Obj

PERSONAS = ["staff_a", "staff_b", "reviewer_x", "reviewer_y", "official", "other_official", "ministry"]
PROJECT_APPS = [
    "accounts",
    "units",
    "centres",
    "library",
    "resources",
    "courses",
    "evaluations",
    "training",
    "materials",
    "reminders",
    "reports",
    "portal",
]
LOGIN = "/tai-khoan/dang-nhap/"


@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "units:import"
    route: str  # the pattern as written, for messages
    keywords: tuple[str, ...]
    module: str  # the view's module: "units.views"
    namespace: str = ""  # "units:", "admin:"

    @property
    def app(self) -> str:
        return self.module.split(".")[0]


def _keywords(pattern) -> list[str]:
    # path("<int:pk>/") declares converters; re_path(r"^(?P<app_label>…)/$") named groups.
    return list(getattr(pattern, "converters", {})) or list(pattern.regex.groupindex)


def walk(resolver=None, namespace: str = "", prefix: str = "", keywords: tuple = ()) -> list[Route]:
    """Every URL pattern below `resolver`, with its namespaced name, the keywords it captures, its view."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        here = tuple(keywords) + tuple(_keywords(entry.pattern))
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry, child_ns, text, here)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            module = getattr(getattr(callback, "view_class", None), "__module__", None) or callback.__module__
            name = f"{namespace}{entry.name}" if entry.name else ""
            routes.append(Route(name=name, route=text, keywords=here, module=module, namespace=namespace))
    return routes


def checked_routes(routes: list[Route]) -> list[Route]:
    return [r for r in routes if r.namespace.split(":")[0] not in SKIPPED_NAMESPACES and r.name not in PUBLIC]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def outsiders(world) -> list[str]:
    """Personas that do not see centre B, as accounts.scoping says (not as this test assumes)."""
    return [
        name
        for name in PERSONAS
        if not Centre.objects.visible_to(getattr(world, name)).filter(pk=world.centre_b.pk).exists()
    ]


def problems_of(route: Route, world, registry=None) -> list[str]:
    """Everything wrong with one URL pattern; empty when it keeps out everyone it should."""
    if not route.name:
        return [f"{route.route} ({route.module}) has no name: name it so the walker can reverse it."]
    filler = Filler(world, route.app, registry, route_name=route.name)
    unknown = [k for k in route.keywords if filler.entry(k) is None]
    if unknown:
        return [
            f"{route.name} ({route.route}, view in {route.module}) captures {unknown} that "
            f"tests/platform/url_objects.py does not know. Register OBJECTS[({route.app!r}, {unknown[0]!r})] = "
            f"Obj(lambda f: <an object of centre B>) (or ('*', {unknown[0]!r}) if it means the same in every app)."
        ]
    url = reverse(route.name, kwargs=filler.kwargs(route.keywords))
    found = []

    anonymous = Client()
    for method in ("get", "post"):
        response = getattr(anonymous, method)(url)
        if response.status_code == 405:
            continue
        if response.status_code != 302 or not response["Location"].startswith(LOGIN):
            found.append(f"{route.name} {method.upper()} {url} anonymous: {response.status_code}, not sent to login")

    if not any(isinstance(filler.entry(k), Obj) for k in route.keywords):
        return found
    read_denials = {403, 404} if route.name in READ_DENIED_WITH_403 else {404}
    for persona in outsiders(world):
        client = Client()
        client.force_login(getattr(world, persona))
        response = client.get(url)
        if response.status_code not in read_denials | {405}:
            found.append(f"{route.name} GET {url} as {persona} (outside): {response.status_code}, expected 404")
        before = row_counts()
        response = client.post(url, {})
        if response.status_code not in {403, 404, 405}:
            found.append(f"{route.name} POST {url} as {persona} (outside): {response.status_code}, expected 403/404")
        if row_counts() != before:
            found.append(f"{route.name} POST {url} as {persona} (outside) wrote to the database")
    return found


def test_every_page_keeps_out_everyone_outside_its_scope(world):
    routes = checked_routes(walk())
    assert any(r.name == "units:import" for r in routes), "the walker found none of the project's pages"
    problems = [problem for route in routes for problem in problems_of(route, world)]
    assert not problems, "\n".join(problems)


def test_the_registry_knows_outsiders_of_centre_b(world):
    assert outsiders(world) == ["staff_a", "reviewer_x", "other_official"]


def test_every_page_listed_as_public_exists():
    names = {r.name for r in walk()}
    assert not PUBLIC - names, f"url_objects.PUBLIC names pages that no longer exist: {PUBLIC - names}"


# --- The walker itself fails when it should (tests/platform/leaky_urls.py) ------------------------


@pytest.mark.urls("tests.platform.leaky_urls")
def test_the_walker_catches_a_page_without_a_scope_check(world):
    routes = {r.name: r for r in walk()}
    assert problems_of(routes["scoped"], world) == []
    leaks = problems_of(routes["leaky"], world)
    assert any("GET" in p and "as staff_a (outside): 200" in p for p in leaks), leaks
    assert any("POST" in p and "as reviewer_x (outside): 200" in p for p in leaks), leaks
    assert any("wrote to the database" in p for p in leaks), leaks
    assert problems_of(routes["no_login"], world) == [
        "no_login GET /no-login/ anonymous: 200, not sent to login",
        "no_login POST /no-login/ anonymous: 200, not sent to login",
    ]


@pytest.mark.urls("tests.platform.leaky_urls")
def test_the_walker_fails_on_a_keyword_nobody_registered(world):
    routes = {r.name: r for r in walk()}
    (message,) = problems_of(routes["unknown_keyword"], world)
    assert "captures ['widget_pk']" in message and "url_objects.py" in message
    assert "OBJECTS[('tests', 'widget_pk')]" in message


# --- The admin site is for administrators only ----------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_admin_site_turns_away_everyone_but_administrators(world, persona):
    user = getattr(world, persona)
    user.is_staff = True  # even a wrongly flagged account stays out
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    for url in (
        reverse("admin:index"),
        reverse("admin:centres_centre_changelist"),
        reverse("admin:centres_centre_change", args=[world.centre_b.pk]),
        reverse("admin:accounts_user_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/quan-tri/login/" in response["Location"], (persona, url)
    response = client.post(reverse("admin:centres_centre_delete", args=[world.centre_b.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert type(world.centre_b).objects.filter(pk=world.centre_b.pk).exists()


def test_an_administrator_enters_the_admin_site(client_for, db):
    from accounts.models import User
    from tests.factories import UserFactory

    admin = UserFactory(username="root", role=User.Role.ADMIN, is_staff=True)
    assert client_for(admin).get(reverse("admin:index")).status_code == 200
