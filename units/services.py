"""Writes to administrative units."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from units.gso import GsoList
from units.models import LEGACY_VALID_FROM, REFORM_DATE, Commune, District, Province


@dataclass
class ImportResult:
    provinces: int
    districts: int
    communes: int
    created: int
    updated: int
    commune_kinds: dict[str, int] = field(default_factory=dict)
    respelled: int = 0

    def summary(self) -> str:
        kinds = ", ".join(f"{Commune.Kind(kind).label} {n}" for kind, n in self.commune_kinds.items())
        lines = [
            f"provinces: {self.provinces}, districts: {self.districts}, communes: {self.communes}",
            f"created: {self.created}, updated: {self.updated}",
            f"communes by kind: {kinds}",
        ]
        if self.respelled:
            lines.append(f"spellings made uniform (spaces, tone marks, case of the kind): {self.respelled}")
        return "\n".join(lines)


def default_valid_from(*, gso: GsoList) -> datetime.date:
    """A 2-tier list (no districts) starts on the reform date; an older list before any record we keep."""
    return LEGACY_VALID_FROM if gso.has_districts else REFORM_DATE


def existing_units(*, model, valid_from: datetime.date, codes) -> dict[str, object]:
    """The units of one list (one valid_from) among `codes`, by code. One query: the whole list of that date
    (at most ~10,600 rows nationally) is read rather than sending thousands of codes as parameters."""
    codes = set(codes)
    return {obj.code: obj for obj in model.objects.filter(valid_from=valid_from).order_by() if obj.code in codes}


def _upsert(model, wanted: dict[str, dict], valid_from: datetime.date) -> tuple[dict[str, object], int, int]:
    """Create or update rows of `model` identified by (code, valid_from). Three queries at most."""
    existing = existing_units(model=model, valid_from=valid_from, codes=wanted)
    to_create, to_update, fields = [], [], set()
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, valid_from=valid_from, **values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            fields.update(changed)
            to_update.append(obj)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=1000)
    return existing_units(model=model, valid_from=valid_from, codes=wanted), len(to_create), len(to_update)


@transaction.atomic
def admin_units_import(*, gso: GsoList, valid_from: datetime.date | None = None) -> ImportResult:
    """Import a parsed GSO list: idempotent (a re-import updates names and creates nothing twice), all or nothing."""
    valid_from = valid_from or default_valid_from(gso=gso)
    provinces, p_new, p_upd = _upsert(
        Province, {code: {"name": name, "kind": kind} for code, (name, kind) in gso.provinces.items()}, valid_from
    )
    districts, d_new, d_upd = _upsert(
        District,
        {
            code: {"name": name, "kind": kind, "province_id": provinces[p].id}
            for code, (name, kind, p) in gso.districts.items()
        },
        valid_from,
    )
    _, c_new, c_upd = _upsert(
        Commune,
        {
            code: {
                "name": name,
                "kind": kind,
                "province_id": provinces[p].id,
                "district_id": districts[d].id if d else None,
            }
            for code, (name, kind, p, d) in gso.communes.items()
        },
        valid_from,
    )
    return ImportResult(
        provinces=len(gso.provinces),
        districts=len(gso.districts),
        communes=len(gso.communes),
        created=p_new + d_new + c_new,
        updated=p_upd + d_upd + c_upd,
        commune_kinds=gso.commune_kinds(),
        respelled=len(gso.respelled),
    )
