"""A query by fixed lookups, its SQL built once per process and database (issue 18).

Every signed-in request reads its session and its user (with their centre, office and province). The ORM builds
each query's SQL again every time: for the user's four joined tables (54 columns) that is ~1–2 ms of CPU against
~0.3 ms to run it, on every page and on the trivial view. `OneRow(build, fields)` compiles `build(*markers)`
once per database alias, then each `get(*values)` binds the values (prepared as the ORM prepares them for those
fields, in the places where the markers' were), runs the SQL and makes the objects the way the ORM's own iterator does (its column layout, converters and
select_related populators, kept from that one compilation). `all(*values)` reads every row the same way
(objects with their annotations, or a values_list() query's tuples): the centre page's sections (issue 18).
A parameter of the SQL that is not a marker is a constant of the query (a literal it holds) and is kept as it is.
The answer is the ORM's: tests/platform/test_compiled.py compares every field and related object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

_EMPTY = (None,) * 9  # the compiled form of a query that matches nothing


class OneRow:
    def __init__(self, build: Callable[..., QuerySet], fields: tuple[Field, ...], markers: tuple[Any, ...]) -> None:
        """build(*values) → the queryset (one row at most); fields: the field each value is compared with;
        markers: values of those fields that only serve to find the parameters' places in the SQL."""
        self.build = build
        self.fields = fields
        self.markers = markers
        self._compiled: dict[str, tuple] = {}

    def _prepare(self, values, connection) -> list:
        return [
            field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)
            for field, value in zip(self.fields, values, strict=True)
        ]

    def _compile(self, alias: str) -> tuple:
        connection = connections[alias]
        queryset = self.build(*self.markers).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            self._compiled[alias] = _EMPTY
            return _EMPTY
        # Where each value goes: the SQL's parameters are the markers, prepared, in the compiler's order.
        prepared = self._prepare(self.markers, connection)
        places = self._places(params, prepared)
        select, klass_info = compiler.select, compiler.klass_info
        if not issubclass(queryset._iterable_class, ModelIterable):  # values_list(): rows as tuples
            if queryset._iterable_class is not ValuesListIterable:
                raise ValueError(f"{self.build}: objects or values_list() rows only")
            start, end = 0, compiler.col_count  # the selected columns, in values_list()'s order
            init_list, populators = None, []
        else:
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            init_list = [column[0].target.attname for column in select[start:end]]
            populators = get_related_populators(klass_info, select, alias)
        annotations = tuple((compiler.annotation_col_map or {}).items()) if init_list is not None else ()
        converters = list(compiler.get_converters([column[0] for column in select]).items())
        compiled = (queryset.model, sql, places, start, end, init_list, populators, converters, annotations)
        self._compiled[alias] = compiled
        return compiled

    def _places(self, params, prepared) -> tuple:
        """Where each of the SQL's parameters comes from: a value's index (where its marker was), else the
        constant the query holds itself (a literal of the queryset, the same on every run)."""
        wanted = list(map(repr, prepared))
        if len(set(wanted)) != len(wanted):
            raise ValueError(f"{self.build}: the markers must differ: {self.markers}")
        places = tuple((wanted.index(repr(p)), None) if repr(p) in wanted else (None, p) for p in params)
        if len(self.markers) != len({index for index, _constant in places if index is not None}):
            raise ValueError(f"{self.build}: a marker is not among the SQL's parameters: {params}")
        return places

    def _execute(self, values, using):
        if using is None:
            using = router.db_for_read(self.fields[0].model)
        compiled = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        if compiled is _EMPTY:  # a query that can match nothing (`pk__in=[]`): no SQL, as the ORM
            return compiled, connection, using, []
        values = self._prepare(values, connection)
        params = [constant if index is None else values[index] for index, constant in compiled[2]]
        with connection.cursor() as cursor:
            cursor.execute(compiled[1], params)
            rows = cursor.fetchall()
        return compiled, connection, using, rows

    @staticmethod
    def _converted(row, converters, connection):
        if not converters:
            return row
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return row

    def _object(self, row, compiled, connection, using):
        model, _sql, _places, start, end, init_list, populators, converters, annotations = compiled
        row = self._converted(row, converters, connection)
        obj = model.from_db(using, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        return obj

    def all(self, *values, using: str | None = None) -> list:
        """Every object the query finds (or, for a values_list() query, every row as a tuple), in its order."""
        compiled, connection, using, rows = self._execute(values, using)
        if compiled[5] is None:  # values_list()
            end = compiled[4]
            return [tuple(self._converted(row, compiled[7], connection)[:end]) for row in rows]
        return [self._object(row, compiled, connection, using) for row in rows]

    def get(self, *values, using: str | None = None) -> Model | None:
        """The one object the lookups find, or None. The database is the router's for reading, as the ORM's."""
        compiled, connection, using, rows = self._execute(values, using)
        return self._object(rows[0], compiled, connection, using) if rows else None


# Queries whose SQL depends on more than their values (a user's scope, a limit): one OneRow per key, the oldest
# dropped past KEPT (a few per centre, office and province at most).
_KEPT: dict[tuple, OneRow] = {}
KEPT = 2000


def kept(key: tuple, make: Callable[[], OneRow]) -> OneRow:
    """The OneRow kept under `key`, made by `make()` the first time."""
    query = _KEPT.get(key)
    if query is None:
        if len(_KEPT) >= KEPT:
            _KEPT.pop(next(iter(_KEPT)), None)
        query = _KEPT[key] = make()
    return query
