"""Live classes per centre, kept by triggers on the classes table (issue 18: the classes list's pager read a
COUNT(*) of ~145,000 classes on every page of a province). See courses.models.CentreClassCount.

PostgreSQL: one statement-level trigger per operation with its transition tables, so a bulk COPY or an
`UPDATE … SET archived_at` of many classes adds one grouped upsert, not one per row; an edit that moves no
class (a new title, a version bump) writes nothing. SQLite: row triggers. On SQLite a later migration that
rebuilds `courses_course` (Django's ALTER TABLE there: copy, drop, rename) drops these triggers with the old
table, and must create them again; tests/courses/test_class_count.py fails if it does not.
"""

from django.db import migrations, models

POSTGRES_INSTALL = """
CREATE FUNCTION courses_class_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO courses_centreclasscount AS kept (centre_id, live)
      SELECT centre_id, COUNT(*) FROM new_rows WHERE archived_at IS NULL GROUP BY centre_id ORDER BY centre_id
      ON CONFLICT (centre_id) DO UPDATE SET live = kept.live + EXCLUDED.live;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO courses_centreclasscount AS kept (centre_id, live)
      SELECT centre_id, -COUNT(*) FROM old_rows WHERE archived_at IS NULL GROUP BY centre_id ORDER BY centre_id
      ON CONFLICT (centre_id) DO UPDATE SET live = kept.live + EXCLUDED.live;
  ELSE
    INSERT INTO courses_centreclasscount AS kept (centre_id, live)
      SELECT centre_id, SUM(delta) FROM (
        SELECT centre_id, -1 AS delta FROM old_rows WHERE archived_at IS NULL
        UNION ALL SELECT centre_id, 1 FROM new_rows WHERE archived_at IS NULL
      ) AS moved GROUP BY centre_id HAVING SUM(delta) <> 0 ORDER BY centre_id
      ON CONFLICT (centre_id) DO UPDATE SET live = kept.live + EXCLUDED.live;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER course_class_count_insert AFTER INSERT ON courses_course
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION courses_class_count_apply();
CREATE TRIGGER course_class_count_delete AFTER DELETE ON courses_course
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION courses_class_count_apply();
CREATE TRIGGER course_class_count_update AFTER UPDATE ON courses_course
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION courses_class_count_apply();
"""

POSTGRES_REMOVE = """
DROP TRIGGER IF EXISTS course_class_count_insert ON courses_course;
DROP TRIGGER IF EXISTS course_class_count_delete ON courses_course;
DROP TRIGGER IF EXISTS course_class_count_update ON courses_course;
DROP FUNCTION IF EXISTS courses_class_count_apply();
"""

SQLITE_INSTALL = [
    """CREATE TRIGGER course_class_count_insert AFTER INSERT ON courses_course WHEN NEW.archived_at IS NULL
BEGIN
  INSERT INTO courses_centreclasscount (centre_id, live) VALUES (NEW.centre_id, 1)
    ON CONFLICT (centre_id) DO UPDATE SET live = live + 1;
END""",
    """CREATE TRIGGER course_class_count_delete AFTER DELETE ON courses_course WHEN OLD.archived_at IS NULL
BEGIN
  UPDATE courses_centreclasscount SET live = live - 1 WHERE centre_id = OLD.centre_id;
END""",
    """CREATE TRIGGER course_class_count_update AFTER UPDATE OF centre_id, archived_at ON courses_course
BEGIN
  UPDATE courses_centreclasscount SET live = live - 1 WHERE OLD.archived_at IS NULL AND centre_id = OLD.centre_id;
  INSERT INTO courses_centreclasscount (centre_id, live) SELECT NEW.centre_id, 1 WHERE NEW.archived_at IS NULL
    ON CONFLICT (centre_id) DO UPDATE SET live = live + 1;
END""",
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS course_class_count_insert",
    "DROP TRIGGER IF EXISTS course_class_count_delete",
    "DROP TRIGGER IF EXISTS course_class_count_update",
]

# After the triggers exist (PostgreSQL: CREATE TRIGGER holds off other writers until this migration commits).
FILL = """
INSERT INTO courses_centreclasscount (centre_id, live)
SELECT centre_id, COUNT(*) FROM courses_course WHERE archived_at IS NULL GROUP BY centre_id
"""


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [POSTGRES_INSTALL]
    elif vendor == "sqlite":
        statements = SQLITE_INSTALL
    else:
        raise NotImplementedError(f"classes count triggers for {vendor}")
    for sql in [*statements, FILL]:
        schema_editor.execute(sql)


def remove_triggers(apps, schema_editor):
    statements = POSTGRES_REMOVE if schema_editor.connection.vendor == "postgresql" else SQLITE_REMOVE
    for sql in [statements] if isinstance(statements, str) else statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0008_library_fields_moved"),
        ("courses", "0013_merge_list_indexes_and_hidden_kinds"),
    ]

    operations = [
        migrations.CreateModel(
            name="CentreClassCount",
            fields=[
                (
                    "centre",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="centres.centre",
                        verbose_name="trung tâm",
                    ),
                ),
                ("live", models.IntegerField(default=0, verbose_name="số lớp")),
            ],
            options={
                "ordering": ["centre"],
                "verbose_name": "số lớp của trung tâm",
                "verbose_name_plural": "số lớp của trung tâm",
            },
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
