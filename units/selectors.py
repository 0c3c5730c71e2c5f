import datetime

from units.gso import GsoList
from units.models import Commune, District, Province
from units.services import existing_units

RENAMED_SHOWN = 10


def admin_units_import_preview(*, gso: GsoList, valid_from: datetime.date) -> dict:
    """What an import would create and rename, per level, with the first renamings (code, name now, name in
    the file) so the administrator sees what changes. Three queries (one per level, the whole list of that
    date)."""
    preview = {}
    renamed_examples = []
    for label, model, wanted in (
        ("provinces", Province, {c: v[0] for c, v in gso.provinces.items()}),
        ("districts", District, {c: v[0] for c, v in gso.districts.items()}),
        ("communes", Commune, {c: v[0] for c, v in gso.communes.items()}),
    ):
        existing = {
            code: unit.name for code, unit in existing_units(model=model, valid_from=valid_from, codes=wanted).items()
        }
        renamed = [(code, existing[code], name) for code, name in wanted.items() if existing.get(code, name) != name]
        renamed_examples += renamed[: RENAMED_SHOWN - len(renamed_examples)]
        preview[label] = {
            "total": len(wanted),
            "new": sum(1 for code in wanted if code not in existing),
            "renamed": len(renamed),
        }
    preview["renamed_examples"] = renamed_examples
    return preview
