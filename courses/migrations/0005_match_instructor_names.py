"""Link existing classes and sessions to the registry's instructors by name, within the class's centre.

A name in `Course.instructor_names` (comma or semicolon separated) that is, case aside, the full name of an
instructor assigned to the class's centre becomes a link and leaves the text; names that match nobody
(guests) stay as text. A session's `instructor_name` likewise. The reverse puts the linked names back
into the text and removes the links.
"""

import re

from django.db import migrations

BATCH = 2000
SEPARATORS = re.compile(r"\s*[,;]\s*")


def _names_by_centre(apps):
    Assignment = apps.get_model("centres", "InstructorAssignment")
    found = {}
    for centre_id, instructor_id, name in Assignment.objects.values_list(
        "centre_id", "instructor_id", "instructor__full_name"
    ).order_by("centre_id", "instructor_id"):
        found.setdefault((centre_id, name.strip().casefold()), instructor_id)
    return found


def link_by_name(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    ClassSession = apps.get_model("courses", "ClassSession")
    Link = Course.instructors.through
    known = _names_by_centre(apps)
    if not known:
        return
    links, changed = [], []
    for course in Course.objects.exclude(instructor_names="").only("id", "centre_id", "instructor_names").iterator():
        names = [n for n in SEPARATORS.split(course.instructor_names.strip()) if n]
        matched = {known[(course.centre_id, n.casefold())] for n in names if (course.centre_id, n.casefold()) in known}
        if not matched:
            continue
        links += [Link(course_id=course.id, instructor_id=i) for i in sorted(matched)]
        course.instructor_names = ", ".join(n for n in names if (course.centre_id, n.casefold()) not in known)
        changed.append(course)
    Link.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    Course.objects.bulk_update(changed, ["instructor_names"], batch_size=BATCH)
    sessions = []
    rows = (
        ClassSession.objects.exclude(instructor_name="")
        .filter(instructor__isnull=True)
        .values_list("id", "course__centre_id", "instructor_name")
    )
    for session_id, centre_id, name in rows.iterator():
        instructor_id = known.get((centre_id, name.strip().casefold()))
        if instructor_id:
            sessions.append(ClassSession(id=session_id, instructor_id=instructor_id, instructor_name=""))
    ClassSession.objects.bulk_update(sessions, ["instructor", "instructor_name"], batch_size=BATCH)


def unlink_to_names(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    ClassSession = apps.get_model("courses", "ClassSession")
    Link = Course.instructors.through
    linked = {}
    for course_id, name in Link.objects.values_list("course_id", "instructor__full_name").order_by("course_id", "id"):
        linked.setdefault(course_id, []).append(name)
    changed = []
    for course in Course.objects.filter(id__in=list(linked)).only("id", "instructor_names").iterator():
        course.instructor_names = ", ".join([*linked[course.id], *([course.instructor_names] if course.instructor_names else [])])[:255]
        changed.append(course)
    Course.objects.bulk_update(changed, ["instructor_names"], batch_size=BATCH)
    Link.objects.all().delete()
    sessions = []
    for session in ClassSession.objects.filter(instructor__isnull=False).select_related("instructor").iterator():
        session.instructor_name, session.instructor_id = session.instructor.full_name[:200], None
        sessions.append(session)
    ClassSession.objects.bulk_update(sessions, ["instructor", "instructor_name"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0002_boards_and_instructors"),
        ("courses", "0004_link_instructors_to_registry"),
    ]

    operations = [migrations.RunPython(link_by_name, unlink_to_names)]
