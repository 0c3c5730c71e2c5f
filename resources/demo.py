"""Demo contributions (seed_demo, through portal.demo): most years, one to four contributions per centre from the
commune's budget, the Hội Khuyến học, enterprises, people and now and then the province or an international
organisation; equipment joins the centre's facilities (centres.Equipment) — the former centres to 30/06/2025,
today's from 01/07/2025 (docs/library.md)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.demo import DEMO_COMMUNE_CODE
from centres.models import Centre, Equipment
from resources.models import Contribution, Kind, Source
from units.models import REFORM_DATE

FIRST_YEAR = 2015
BATCH = 2000
# (source, weight)
SOURCES = [
    (Source.NSNN_XA, 5),
    (Source.KHUYEN_HOC, 4),
    (Source.DOANH_NGHIEP, 3),
    (Source.CA_NHAN, 4),
    (Source.NSNN_TINH, 1),
    (Source.NSNN_TRUNG_UONG, 0.3),
    (Source.QUOC_TE, 0.3),
    (Source.KHAC, 0.5),
]
# kind → (descriptions, value range in millions of đồng or None, quantity range)
KINDS = {
    Kind.MONEY: (["Kinh phí hoạt động", "Hỗ trợ tổ chức lớp học", "Quỹ khuyến học hỗ trợ"], (2, 40), None),
    Kind.EQUIPMENT: (["Máy tính để bàn", "Máy chiếu", "Loa, âm ly", "Bàn ghế phòng học", "Ti vi"], (3, 30), (1, 5)),
    Kind.BOOKS: (["Sách khoa học kỹ thuật", "Sách pháp luật", "Truyện thiếu nhi"], (1, 8), (20, 300)),
    Kind.LABOUR: (["Ngày công sửa chữa phòng học", "Ngày công dọn dẹp, trang trí"], None, (5, 60)),
}
KIND_WEIGHTS = {Kind.MONEY: 5, Kind.EQUIPMENT: 2, Kind.BOOKS: 2, Kind.LABOUR: 1.5}


def seed(*, rng, log) -> None:
    today = timezone.localdate()
    last_old = REFORM_DATE - datetime.timedelta(days=1)
    periods = [
        (c, datetime.date(FIRST_YEAR, 1, 1), last_old)
        for c in Centre.objects.filter(commune__valid_from__lt=REFORM_DATE).order_by("pk")
    ] + [
        (c, REFORM_DATE, today)
        for c in Centre.objects.active().filter(commune__valid_from__gte=REFORM_DATE).order_by("pk")
    ]
    sources, source_weights = zip(*SOURCES, strict=True)
    kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    demo_ids = set(
        Centre.objects.active().filter(predecessors__commune__code=DEMO_COMMUNE_CODE).values_list("pk", flat=True)
    )
    planned = []  # (Contribution, Equipment or None)
    for centre, first, last in periods:
        for year in range(first.year, last.year + 1):
            if centre.pk not in demo_ids and rng.random() < 0.25:  # a year without any
                continue
            start, end = max(first, datetime.date(year, 1, 1)), min(last, datetime.date(year, 12, 31))
            used = set()
            for _n in range(rng.randint(1, 4)):
                kind = rng.choices(kinds, kind_weights)[0]
                source = rng.choices(sources, source_weights)[0]
                descriptions, values, quantities = KINDS[kind]
                description = rng.choice(descriptions)
                day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
                if (day, source, kind, description) in used:
                    continue
                used.add((day, source, kind, description))
                value = rng.randint(*values) * 1_000_000 if values else None
                quantity = rng.randint(*quantities) if quantities else None
                item = Contribution(
                    centre=centre, date=day, source=source, kind=kind, value=value, quantity=quantity,
                    description=description,
                )  # fmt: skip
                equipment = None
                if kind == Kind.EQUIPMENT:
                    equipment = Equipment(
                        centre=centre, name=description, quantity=quantity or 1, received_on=day,
                        note=f"Nhận từ nguồn: {Source(source).label}",
                    )  # fmt: skip
                planned.append((item, equipment))
    equipment = Equipment.objects.bulk_create([e for _c, e in planned if e is not None], batch_size=BATCH)
    made = iter(equipment)
    contributions = []
    for item, planned_equipment in planned:
        if planned_equipment is not None:
            item.equipment = next(made)
        contributions.append(item)
    Contribution.objects.bulk_create(contributions, batch_size=BATCH)
    log(f"  resources: {len(contributions)} contributions, {len(equipment)} equipment items")
