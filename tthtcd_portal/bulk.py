"""Many rows at once for generated data (the demo province, the benchmark's scale data): plain INSERTs of value
tuples, with no model instances, signals or history rows — the ORM's bulk_create spends four fifths of its time
building instances and SQL (a profile of the demo's 400,000 classes and sessions: 93 of 133 s).

On PostgreSQL rows go in with COPY (a few hundred thousand rows a second), elsewhere with executemany. Columns
left out take their field's default (a constant, `auto_now` fields the moment of the call), so adding a field
with a default to a model does not break the loaders. Product writes go through services, never through here.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


def next_id(model: type[models.Model]) -> int:
    """The first id free after the table's largest (ids handed out here, so children can point at parents)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(model._meta.db_table)}")
        return cursor.fetchone()[0]


def reset_sequence(model: type[models.Model]) -> None:
    """After rows with explicit ids: PostgreSQL's sequence moves past them (SQLite needs nothing)."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def _defaults(model: type[models.Model], given: list[str]) -> tuple[list[str], list]:
    """The columns the caller left out and the value each takes."""
    now = timezone.now()
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif field.empty_strings_allowed:
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} has no default: give it")
        columns.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return columns, values


def _converters(model: type[models.Model], columns: list[str]) -> list:
    """Per column, what turns a Python value into what the database driver takes (dates, decimals, datetimes
    need the backend's adaptation on SQLite; everything else goes as it is)."""
    by_column = {f.column: f for f in model._meta.concrete_fields}
    out = []
    for column in columns:
        field = by_column[column]
        if isinstance(field, (models.DateField, models.DecimalField)):  # DateTimeField is a DateField
            out.append(lambda v, f=field: None if v is None else f.get_db_prep_save(v, connection))
        else:
            out.append(None)
    return out


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def insert_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` (tuples of values in `columns` order, column names as in the table: "course_id") into the
    model's table; the columns left out take their defaults. Returns the number of rows."""
    extra_columns, extra_values = _defaults(model, columns)
    all_columns = [*columns, *extra_columns]
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    if connection.vendor == "postgresql":
        tail = [_copy_text(v) for v in extra_values]
        with connection.cursor() as cursor:
            for batch in _batches(rows, BATCH * 10):
                buffer = io.StringIO()
                for row in batch:
                    buffer.write("\t".join([*(_copy_text(v) for v in row), *tail]))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.cursor.copy_expert(f"COPY {table} ({', '.join(all_columns)}) FROM STDIN", buffer, size=1 << 20)
                count += len(batch)
        return count
    converters = _converters(model, columns)
    placeholders = ", ".join(["%s"] * len(all_columns))
    sql = f"INSERT INTO {table} ({', '.join(all_columns)}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            params = [
                (*(v if c is None else c(v) for c, v in zip(converters, row, strict=True)), *extra_values)
                for row in batch
            ]
            cursor.executemany(sql, params)
            count += len(batch)
    return count
