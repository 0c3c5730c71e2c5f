import datetime

from units.gso import GsoList
from units.models import Commune, District, Province


def admin_units_import_preview(*, gso: GsoList, valid_from: datetime.date) -> dict:
    """What an import would create and update, per level. Three queries."""
    preview = {}
    for label, model, wanted in (
        ("provinces", Province, {c: v[0] for c, v in gso.provinces.items()}),
        ("districts", District, {c: v[0] for c, v in gso.districts.items()}),
        ("communes", Commune, {c: v[0] for c, v in gso.communes.items()}),
    ):
        existing = dict(model.objects.filter(valid_from=valid_from, code__in=list(wanted)).values_list("code", "name"))
        preview[label] = {
            "total": len(wanted),
            "new": sum(1 for code in wanted if code not in existing),
            "renamed": sum(1 for code, name in wanted.items() if code in existing and existing[code] != name),
        }
    return preview
