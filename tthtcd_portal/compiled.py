"""A query by fixed lookups, its SQL built once per process and database (issues 17 and 18).

Every signed-in request reads its session and its user (with their centre, office and province). The ORM builds
each query's SQL again every time: for the user's four joined tables (54 columns) that is ~1–2 ms of CPU against
~0.3 ms to run it, on every page and on the trivial view. `Compiled(build, fields, markers)` compiles
`build(*markers)` once per database alias, then each call binds the values (prepared as the ORM prepares them for
those fields, in the places where the markers' were; the query's own constants, such as a status it filters on,
stay as compiled), runs the SQL and makes the answer the way the ORM's own iterator does: model instances (their
column layout, converters, select_related populators and annotations, kept from that one compilation) or, for a
`values_list()` queryset, tuples. `OneRow` is the one-object form. The answer is the ORM's: tests/platform/
test_compiled.py compares every field and related object.

A query whose number of values varies (`pk__in=ids`) is one `Compiled` per number (the callers keep them); one
whose SQL depends on more than its values (a user's scope, a limit) is one per key, kept by `kept(key, make)`.
A query that can match nothing (`pk__in=[]`) runs no SQL, as with the ORM.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

from tthtcd_portal.bounded import Bounded

_EMPTY = ("", (), [], 0)  # the compiled form of a query that can match nothing: no SQL is run


class Compiled:
    def __init__(self, build: Callable[..., QuerySet], fields: tuple[Field, ...], markers: tuple[Any, ...]) -> None:
        """build(*values) → the queryset; fields: the field each value is compared with; markers: values of those
        fields that only serve to find the parameters' places in the SQL (distinct, and unlike any constant of
        the query)."""
        self.build = build
        self.fields = fields
        self.markers = markers
        self._compiled: dict[str, tuple] = {}
        self._for_write: bool | None = None
        self._iterable: type | None = None

    def _prepare(self, values, connection) -> list:
        return [
            field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)
            for field, value in zip(self.fields, values, strict=True)
        ]

    def _compile(self, alias: str) -> tuple:
        connection = connections[alias]
        queryset = self.build(*self.markers).using(alias)
        if queryset._known_related_objects or queryset._prefetch_related_lookups:
            raise ValueError(f"{self.build}: related objects known or prefetched are not compiled")
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            self._compiled[alias] = _EMPTY
            return _EMPTY
        # Where each value goes: a parameter that is a marker (prepared) takes that value; any other is the
        # query's own constant and stays.
        prepared = [repr(p) for p in self._prepare(self.markers, connection)]
        if len(set(prepared)) != len(prepared):
            raise ValueError(f"{self.build}: the markers are not distinct: {self.markers}")
        places = tuple((prepared.index(repr(p)), None) if repr(p) in prepared else (None, p) for p in params)
        if {place for place, _ in places} - {None} != set(range(len(prepared))):
            raise ValueError(f"{self.build}: the SQL's parameters lack markers: {params}")
        select = compiler.select
        converters = list(compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items())
        if queryset._iterable_class is ModelIterable:
            klass_info = compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            init_list = [column[0].target.attname for column in select[start:end]]
            populators = get_related_populators(klass_info, select, alias)
            annotations = tuple(compiler.annotation_col_map.items())
            shape = (queryset.model, start, end, init_list, populators, annotations)
        elif queryset._iterable_class is ValuesListIterable:
            shape = compiler.col_count  # the SELECT holds values_list()'s columns first, in its order (Django 5.2)
        else:
            raise ValueError(f"{self.build}: only model instances and values_list() tuples are compiled")
        compiled = (sql, places, converters, shape)
        self._compiled[alias] = compiled
        return compiled

    def _alias(self) -> str:
        """The router's database for the queryset, as the ORM picks it (for writing: select_for_update)."""
        if self._for_write is None:
            self._for_write = self.build(*self.markers)._for_write
        model = self.fields[0].model
        return router.db_for_write(model) if self._for_write else router.db_for_read(model)

    def _rows(self, values, using: str | None, *, one: bool) -> tuple[str, list]:
        using = using or self._alias()
        compiled = self._compiled.get(using) or self._compile(using)
        if compiled is _EMPTY:
            return using, []
        sql, places, converters, _shape = compiled
        connection = connections[using]
        values = self._prepare(values, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [constant if place is None else values[place] for place, constant in places])
            rows = [cursor.fetchone()] if one else cursor.fetchall()
        if one and rows[0] is None:
            return using, []
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
        return using, rows

    def _objects(self, using: str, rows: list) -> list[Model]:
        if not rows:
            return []
        model, start, end, init_list, populators, annotations = self._compiled[using][3]
        objects = []
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def objects(self, *values, using: str | None = None) -> list[Model]:
        """The model instances the lookups find (a model queryset)."""
        using, rows = self._rows(values, using, one=False)
        return self._objects(using, rows)

    def tuples(self, *values, using: str | None = None) -> list[tuple]:
        """The rows the lookups find (a values_list() queryset), as tuples."""
        using, rows = self._rows(values, using, one=False)
        columns = self._compiled[using][3]
        return [tuple(row[:columns]) for row in rows]

    def all(self, *values, using: str | None = None) -> list:
        """`objects()` for a model queryset, `tuples()` for a values_list() one."""
        if self._iterable is None:
            self._iterable = self.build(*self.markers)._iterable_class
        return (
            self.tuples(*values, using=using)
            if self._iterable is ValuesListIterable
            else self.objects(*values, using=using)
        )


class OneRow(Compiled):
    """A query of one row at most."""

    def get(self, *values, using: str | None = None) -> Model | None:
        """The one object the lookups find, or None. The database is the router's, as the ORM's."""
        using, rows = self._rows(values, using, one=True)
        return self._objects(using, rows)[0] if rows else None


# Queries whose SQL depends on more than their values (a user's scope, a limit): one per key, the oldest dropped
# past KEPT (a few per centre, office and province at most).
_KEPT: Bounded = Bounded(2000)


def kept(key: tuple, make: Callable[[], Compiled]) -> Compiled:
    """The query kept under `key`, made by `make()` the first time."""
    query = _KEPT.get(key)
    return query if query is not None else _KEPT.keep(key, make())
