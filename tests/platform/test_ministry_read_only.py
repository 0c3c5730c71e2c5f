"""The Ministry's officials read every province and change nothing (issue 17 item 1).

Every write of the project, found as the locked-write walker finds them (tests/platform/test_locked_writes.py:
every URL pattern opened by the provincial official while the year is open; a page answering 405 to a GET or
posting a form to itself is a write), is posted by the Ministry official with the form the provincial official
was shown (or the registry's payload): each must answer 403 and write nothing. The few writes that are the
user's own (their password, language, digest setting, an export job) are listed below with why.
"""

from __future__ import annotations

from django.db import connection

from tests.platform.db_writes import WriteRecorder
from tests.platform.locked_objects import WRITES, Write
from tests.platform.test_locked_writes import Database, _client, locked_target, pages_of, personas
from tests.platform.test_url_scoping import checked_routes, walk

# Writes a Ministry official may make: their own, not a province's data.
OWN = {
    "accounts:password_change": "the user's own password",
    "accounts:password_reset": "a password reset e-mail is the user's own",
    "accounts:password_reset_confirm": "the user's own password",
    "set_language": "the user's own interface language",
    "reminders:list": "the user's own digest setting",
    "reports:export_start": "an export reads; the job row it makes is the user's",
    "reports:job_restart": "an export reads; the job row it makes is the user's",
}


def test_every_write_is_a_403_for_the_ministry_and_writes_nothing(world):
    target, _lock = locked_target(world)  # the year open: every page shows its forms to those who may write
    pages, problems = pages_of(checked_routes(walk()), target, personas(target))
    ministry = _client(world.ministry)  # before the snapshot: a login writes last_login
    database = Database()
    writes = [p for p in pages if p.is_write and p.route.name not in OWN]
    for page in writes:
        write = WRITES.get(page.route.name, Write())
        data = write.data(target) if write.data else dict(page.forms.get("official") or {})
        if write.extra:
            data.update(write.extra(target))
        recorder = WriteRecorder()
        with connection.execute_wrapper(recorder):
            response = ministry.post(page.url, data)
        changed = database.changed_by(recorder)
        if changed:
            problems.append(f"{page.route.name} POST {page.url} as the Ministry wrote to {changed}")
        if response.status_code != 403:
            problems.append(f"{page.route.name} POST {page.url} as the Ministry: {response.status_code}, expected 403")
    assert len(writes) > 40
    assert not problems, "\n".join(problems)


def test_every_exception_names_a_page_that_exists():
    names = {r.name for r in walk()}
    assert not set(OWN) - names, f"OWN names pages that no longer exist: {set(OWN) - names}"
