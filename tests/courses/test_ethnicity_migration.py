"""The data migration of issue 13.6: existing learners' ethnicity and tick made to agree, and the sessions they
attended recounted so that the figures still equal a recount."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("courses", "0007_vietnamese_name_order")]
AFTER = [("courses", "0008_learner_minority_matches_ethnicity")]


# Migrating back to 0007 unapplies every later migration; on SQLite, Django cannot drop the PositiveIntegerField
# `version` columns of 0008_edit_version (their CHECK constraint), so the data migration is proven on PostgreSQL,
# which CI runs.
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite cannot unapply 0008_edit_version's columns")
@pytest.mark.django_db(transaction=True)
def test_existing_learners_are_made_to_agree_and_sessions_recounted(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Learner = apps.get_model("courses", "Learner")
    Course, ClassSession = apps.get_model("courses", "Course"), apps.get_model("courses", "ClassSession")
    Enrolment, Attendance = apps.get_model("courses", "Enrolment"), apps.get_model("courses", "Attendance")
    Figure, Kind = apps.get_model("courses", "CentreYearFigure"), apps.get_model("courses", "ProgrammeKind")
    kind = Kind.objects.first()
    centre_id = world.centre_a.pk
    ticked_kinh = Learner.objects.create(centre_id=centre_id, full_name="A", gender="female", ethnicity="Kinh",
                                         is_minority=True)  # fmt: skip
    named_tay = Learner.objects.create(centre_id=centre_id, full_name="B", gender="male", ethnicity="Tày",
                                       is_minority=False)  # fmt: skip
    Learner.objects.create(centre_id=centre_id, full_name="C", gender="male", ethnicity="", is_minority=False)
    course = Course.objects.create(centre_id=centre_id, programme_kind=kind, title="Lớp", format="roster",
                                   start_date="2026-03-01", end_date="2026-03-31")  # fmt: skip
    session = ClassSession.objects.create(course=course, date="2026-03-02", present=2, women=1, minorities=1)
    for learner in (ticked_kinh, named_tay):
        enrolment = Enrolment.objects.create(course=course, learner=learner, from_date="2026-03-01")
        Attendance.objects.create(session=session, enrolment=enrolment, present=True)
    Figure.objects.create(centre_id=centre_id, year=2026, programme_kind=kind, classes=1, sessions=1,
                          participations=2, women=1, minorities=1)  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Learner = apps.get_model("courses", "Learner")
    got = {lr.full_name: (lr.ethnicity, lr.is_minority) for lr in Learner.objects.all()}
    assert got == {"A": ("", True), "B": ("Tày", True), "C": ("Kinh", False)}
    assert apps.get_model("courses", "ClassSession").objects.get().minorities == 2
    assert apps.get_model("courses", "CentreYearFigure").objects.get().minorities == 2
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
