"""A query of one row by fixed lookups, its SQL built once per process and database (issue 18).

Every signed-in request reads its session and its user (with their centre, office and province). The ORM builds
each query's SQL again every time: for the user's four joined tables (54 columns) that is ~1–2 ms of CPU against
~0.3 ms to run it, on every page and on the trivial view. `OneRow(build, fields)` compiles `build(*markers)`
once per database alias, then each `get(*values)` binds the values (prepared as the ORM prepares them for those
fields, in the places where the markers' were), runs the SQL and makes the objects the way the ORM's own iterator does (its column layout, converters and
select_related populators, kept from that one compilation). The answer is the ORM's: tests/platform/
test_compiled.py compares every field and related object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators


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
        sql, params = compiler.as_sql()
        # Where each value goes: the SQL's parameters are the markers, prepared, in the compiler's order.
        prepared = self._prepare(self.markers, connection)
        if sorted(map(repr, params)) != sorted(map(repr, prepared)) or len(set(map(repr, prepared))) != len(prepared):
            raise ValueError(f"{self.build}: the SQL's parameters are not the markers: {params}")
        places = tuple(prepared.index(param) for param in params)
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)
        converters = list(compiler.get_converters([column[0] for column in select]).items())
        compiled = (queryset.model, sql, places, start, end, init_list, populators, converters)
        self._compiled[alias] = compiled
        return compiled

    def get(self, *values, using: str | None = None) -> Model | None:
        """The one object the lookups find, or None. The database is the router's for reading, as the ORM's."""
        if using is None:
            using = router.db_for_read(self.fields[0].model)
        compiled = self._compiled.get(using) or self._compile(using)
        model, sql, places, start, end, init_list, populators, converters = compiled
        connection = connections[using]
        with connection.cursor() as cursor:
            values = self._prepare(values, connection)
            cursor.execute(sql, [values[place] for place in places])
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        obj = model.from_db(using, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        return obj
