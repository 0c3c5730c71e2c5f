"""A locked year, and a merged centre, refuse every write by every path (issue 14, item 6).

Every URL pattern of the project (derived from the URLconf, as the URL walker does, so a new view is walked by
itself) is first opened, while the target centre is still open, by the provincial official: a page that answers
405 to a GET (a @require_POST change) or that posts a form to itself is a write. Each persona who may change the
centre (its staff, its reviewer, the official) keeps the form its page showed. Then the year is locked (an
approved assessment, evaluations.selectors.centre_year_is_locked), or the centre merged, and every write is posted
again with those forms (or the registry's payload): each must show the Vietnamese reason to at least one of them
(or 403/404 to the others) and write nothing — no row of any project table (figures and history included)
changes. Reads are posted too and must write nothing. The exceptions, each with its reason:
tests/platform/locked_objects.py.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from centres.services import centres_merge
from courses import services as courses
from courses.models import Course, Learner
from evaluations import services as evaluations
from evaluations.models import Attachment
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tests.clock import days_from_today, this_year
from tests.courses.factories import kind
from tests.evaluations.factories import approved, rubric
from tests.factories import CentreFactory, CommuneFactory, UserFactory
from tests.platform import locked_objects
from tests.platform.db_writes import WriteRecorder
from tests.platform.html_forms import own_form
from tests.platform.locked_objects import ALLOWED, LOCKED, MERGED, OBJECTS, QUIET, WRITES, Target
from tests.platform.test_url_scoping import Route, checked_routes, walk
from tests.platform.url_objects import Filler

REASONS = {
    LOCKED: re.compile(r"đã được (Sở )?phê duyệt và khóa"),
    MERGED: re.compile(r"đã sáp nhập hoặc giải thể"),
}
SNAPSHOT_APPS = [
    "accounts",
    "units",
    "centres",
    "library",
    "resources",
    "courses",
    "evaluations",
    "training",
    "materials",
    "planning",
    "reports",
    "background",
]


# --- The targets ------------------------------------------------------------------------------------------------


def _classes(centre, staff, year: int) -> dict:
    """A roster class of `year` with a session, an enrolled learner present at it, and a learner not enrolled."""
    course = courses.course_create(
        centre=centre,
        by=staff,
        programme_kind=kind("xoa-mu-chu"),
        title="Lớp xóa mù chữ",
        format=Course.Format.ROSTER,
        start_date=datetime.date(year, 1, 5),
        end_date=datetime.date(year, 6, 30),
        planned_sessions=20,
    )
    session = courses.class_session_create(course=course, by=staff, date=datetime.date(year, 2, 2), topic="Bài 1")
    learner = courses.learner_create(
        centre=centre,
        by=staff,
        full_name="Lò Thị Mai",
        gender=Learner.Gender.FEMALE,
        ethnicity="Thái",
        is_minority=True,
    )
    courses.learner_create(centre=centre, by=staff, full_name="Vi Văn Nam", gender=Learner.Gender.MALE)
    (enrolment,) = courses.enrolment_create_many(course=course, learners=[learner], by=staff)
    courses.attendance_save(course=course, presence={session.pk: {enrolment.pk}}, by=staff)
    return {"course": course, "session": session, "learner": learner, "enrolment": enrolment}


def _attachment(assessment, by) -> Attachment:
    attachment = Attachment(assessment=assessment, name="bien-ban.pdf", size=9, uploaded_by=by)
    attachment.file.save("bien-ban.pdf", ContentFile(b"%PDF-1.4 "), save=True)
    return attachment


def locked_target(world) -> tuple[Target, callable]:
    """Centre A with a class of last year; locking = the province approving last year's assessment."""
    year = this_year() - 1
    rubric(year)
    things = _classes(world.centre_a, world.staff_a, year)
    target = Target(
        world=world,
        centre=world.centre_a,
        year=year,
        member=BoardMemberFactory(centre=world.centre_a),
        link=AssignmentFactory(centre=world.centre_a),
        assessment=None,
        attachment=None,
        office=world.office_x,
        personas={"staff": world.staff_a, "reviewer": world.reviewer_x, "official": world.official},
        **things,
    )
    # Open: a draft assessment of the year, so that its pages show their forms.
    target.assessment = evaluations.assessment_start(centre=world.centre_a, year=year, by=world.staff_a)
    target.attachment = _attachment(target.assessment, world.staff_a)

    def lock():
        # The same assessment through the whole workflow: scored, submitted, reviewed, proposed, approved.
        target.assessment = approved(world.centre_a, world.staff_a, world.reviewer_x, world.official, year)

    return target, lock


def merged_target(world) -> tuple[Target, callable]:
    """Centre C of district X with this year's class and last year's assessment in progress; merged into A."""
    centre = CentreFactory(
        commune=CommuneFactory(district=world.district_x, code="12700", name="Xã Đông Xá"), review_office=world.office_x
    )
    from accounts.models import User

    staff = UserFactory(username="staff_c", role=User.Role.CENTRE_STAFF, centre=centre)
    rubric(this_year() - 1)
    assessment = evaluations.assessment_start(centre=centre, year=this_year() - 1, by=staff)
    target = Target(
        world=world,
        centre=centre,
        year=this_year(),
        member=BoardMemberFactory(centre=centre),
        link=AssignmentFactory(centre=centre),
        assessment=assessment,
        attachment=_attachment(assessment, staff),
        office=world.office_x,
        personas={"staff": staff, "reviewer": world.reviewer_x, "official": world.official},
        **_classes(centre, staff, this_year()),
    )

    def merge():
        centres_merge(sources=[centre], target=world.centre_a, on_date=days_from_today(-30), by=world.official)
        target.centre.refresh_from_db()

    return target, merge


# --- What the database holds ------------------------------------------------------------------------------------


def snapshot() -> dict[str, str]:
    """Every row of every project table (figures, history and audit tables included), hashed per table."""
    found = {}
    for app in SNAPSHOT_APPS:
        for model in apps.get_app_config(app).get_models():
            rows = model._base_manager.order_by("pk").values_list()
            found[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return found


# --- The walk ---------------------------------------------------------------------------------------------------


@dataclass
class Page:
    route: Route
    url: str
    is_write: bool
    is_download: bool  # a read that answers with a file (an export): not posted
    forms: dict[str, dict]  # persona → the data of the form its page showed


def _url(route: Route, target: Target, registry=None) -> str | None:
    filler = Filler(target, route.app, OBJECTS if registry is None else registry, route_name=route.name)
    unknown = [k for k in route.keywords if filler.entry(k) is None]
    if unknown:
        raise LookupError(
            f"{route.name} ({route.route}) captures {unknown} that tests/platform/locked_objects.py does not know: "
            f"register OBJECTS[({route.app!r}, {unknown[0]!r})] (an object of the target centre)."
        )
    url = reverse(route.name, kwargs=filler.kwargs(route.keywords))
    write = WRITES.get(route.name)
    if write and write.query:
        url += "?" + "&".join(f"{k}={v}" for k, v in write.query(target).items())
    return url


def _form(response, path: str) -> dict | None:
    if response.status_code != 200 or not _is_html(response):
        return None
    form = own_form(response.content.decode(), path)
    return None if form is None else form.data()


def pages_of(routes: list[Route], target: Target, clients: dict[str, Client], registry=None):
    """Open every page while the target is open (as the official, who may open the most): a page that answers 405
    to a GET, or posts a form to itself, is a write; each persona's form of a write is kept for the POST later."""
    pages, problems = [], []
    for route in routes:
        try:
            url = _url(route, target, registry)
        except LookupError as exc:
            problems.append(str(exc))
            continue
        path = url.split("?")[0]
        response = clients["official"].get(url)
        forms = {"official": _form(response, path)}
        is_write = route.name in WRITES or response.status_code == 405 or forms["official"] is not None
        if is_write:
            forms |= {name: _form(client.get(url), path) for name, client in clients.items() if name != "official"}
        download = response.status_code == 200 and not _is_html(response)
        pages.append(Page(route, url, is_write, download, {k: v for k, v in forms.items() if v is not None}))
    return pages, problems


def _is_html(response) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Database:
    """The state every refused POST must leave as it found: snapshot() once, compared again only after a request
    that ran a write statement (a refusal inside a transaction may run one and roll it back)."""

    def __init__(self) -> None:
        self.state = snapshot()

    def changed_by(self, recorder: WriteRecorder) -> list[str]:
        if not recorder.wrote:
            return []
        now = snapshot()
        changed = [label for label, digest in now.items() if self.state[label] != digest]
        self.state = now
        return changed


def post_problems(page: Page, target: Target, world_name: str, database: Database, clients: dict[str, Client]):
    """Everything wrong with one page once the target is locked or merged; empty when it refuses as it should.
    A write is posted by every persona who may change the centre; a read (which has nothing to refuse) by the
    official only, who sees the most."""
    name = page.route.name
    if name in ALLOWED[world_name] or page.is_download:
        return []
    write = WRITES.get(name, locked_objects.Write())
    problems, shown = [], False
    for persona, client in clients.items() if page.is_write else [("official", clients["official"])]:
        data = write.data(target) if write.data else dict(page.forms.get(persona) or page.forms.get("official") or {})
        if write.extra:
            data.update(write.extra(target))
        if write.prepare:
            write.prepare(client, target)
        recorder = WriteRecorder()
        with connection.execute_wrapper(recorder):
            response = client.post(page.url, data, follow=True)
        changed = database.changed_by(recorder)
        if changed:
            problems.append(f"{name} POST {page.url} as {persona} ({world_name}) wrote to {changed}")
        if not page.is_write or name in QUIET[world_name]:
            continue
        text = response.content.decode() if _is_html(response) else ""
        if REASONS[world_name].search(text):
            shown = True
        elif response.status_code not in (403, 404, 405):
            problems.append(
                f"{name} POST {page.url} as {persona} ({world_name}): {response.status_code} without the reason "
                f"{REASONS[world_name].pattern!r}. Refuse in the service, or give the walker a valid payload in "
                f"tests/platform/locked_objects.py WRITES."
            )
    if page.is_write and name not in QUIET[world_name] and not shown and not problems:
        problems.append(f"{name} ({world_name}): no persona was shown the reason {REASONS[world_name].pattern!r}")
    return problems


def walk_target(world, build, world_name: str) -> tuple[list[str], list[Page]]:
    target, close = build(world)
    clients = personas(target)
    pages, problems = pages_of(checked_routes(walk()), target, clients)
    close()
    database = Database()
    for page in pages:
        problems += post_problems(page, target, world_name, database, clients)
    return problems, pages


def personas(target: Target) -> dict[str, Client]:
    """One signed-in client per persona, made before the database's state is taken (a login writes last_login)."""
    return {name: _client(user) for name, user in target.personas.items()}


def test_a_locked_year_refuses_every_write_with_the_reason_and_writes_nothing(world):
    problems, pages = walk_target(world, locked_target, LOCKED)
    writes = {p.route.name for p in pages if p.is_write}
    assert {"courses:enrol", "courses:session_add", "courses:attendance", "evaluations:self_save"} <= writes
    assert len(writes) > 30
    assert not problems, "\n".join(problems)


def test_a_merged_centre_refuses_every_write_with_the_reason_and_writes_nothing(world):
    problems, pages = walk_target(world, merged_target, MERGED)
    assert len([p for p in pages if p.is_write]) > 30
    assert not problems, "\n".join(problems)


def test_every_exception_names_a_page_that_exists():
    names = {r.name for r in walk()}
    listed = {n for table in (ALLOWED, QUIET) for per_world in table.values() for n in per_world} | set(WRITES)
    assert not listed - names, f"tests/platform/locked_objects.py names pages that no longer exist: {listed - names}"


# --- The walker itself fails when it should (tests/platform/leaky_urls.py) --------------------------------------


@pytest.mark.urls("tests.platform.leaky_urls")
def test_the_walker_catches_a_write_that_skips_the_lock(world):
    target, lock = locked_target(world)
    registry = {**OBJECTS, ("tests", "course_pk"): OBJECTS[("courses", "pk")]}
    routes = [r for r in walk() if r.name == "unguarded_session_add"]
    clients = personas(target)
    pages, problems = pages_of(routes, target, clients, registry)
    lock()
    assert problems == [] and pages[0].is_write
    found = post_problems(pages[0], target, LOCKED, Database(), clients)
    assert any("wrote to" in p and "'courses.ClassSession'" in p for p in found), found
    assert any("without the reason" in p for p in found), found
