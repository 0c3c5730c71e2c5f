from pathlib import Path

from units.gso import parse_gso
from units.services import admin_units_import

DATA = Path(__file__).resolve().parent / "data"
LEGACY_THAI_BINH = DATA / "gso_legacy_thai_binh.csv"


def seed(*, rng, log) -> None:
    with LEGACY_THAI_BINH.open("rb") as handle:
        result = admin_units_import(gso=parse_gso(handle, LEGACY_THAI_BINH.name))
    log(f"  units: {result.summary().splitlines()[0]}")
