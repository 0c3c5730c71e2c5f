"""The demo's administrative units: Tỉnh Hưng Yên as it is today (the 104 communes of 01/07/2025) and its
history, the two former provinces Thái Bình (8 districts, 242 communes) and Hưng Yên (10 districts, 139
communes) to 30/06/2025. The 2025 mapping between them is applied by centres.demo, which needs the centres."""

from pathlib import Path

from units.gso import parse_gso
from units.services import admin_units_import

DATA = Path(__file__).resolve().parent / "data"
LEGACY_THAI_BINH = DATA / "gso_legacy_thai_binh.csv"
LEGACY_HUNG_YEN = DATA / "gso_legacy_hung_yen.csv"
HUNG_YEN_2025 = DATA / "gso_2025_hung_yen.csv"
# Old → new commune of both former provinces (the national layout, cut to today's Hưng Yên).
MAPPING_HUNG_YEN = DATA / "commune_mapping_2025_hung_yen.csv"
DEMO_LISTS = [LEGACY_THAI_BINH, LEGACY_HUNG_YEN, HUNG_YEN_2025]


def seed(*, rng, log) -> None:
    for path in DEMO_LISTS:
        with path.open("rb") as handle:
            result = admin_units_import(gso=parse_gso(handle, path.name))
        log(f"  units ({path.name}): {result.summary().splitlines()[0]}")
