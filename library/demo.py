"""Demo libraries (seed_demo, through portal.demo): about six centres in ten with a bookshelf, a library or a
reading point, each with its readers and loans every month, a count of its holdings at each year's end and a
few reading events a year — the former centres to 30/06/2025, today's from 01/07/2025 (docs/library.md)."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

from accounts.demo import DEMO_COMMUNE_CODE
from centres.models import Centre
from library.models import Holding, Library, LibraryMonth, ReadingEvent
from units.models import REFORM_DATE

FIRST_YEAR = 2015
BATCH = 2000
EVENT_TITLES = [
    "Ngày hội đọc sách",
    "Giới thiệu sách mới về nông nghiệp",
    "Thi kể chuyện theo sách cho thiếu nhi",
    "Ngày Sách và Văn hóa đọc Việt Nam",
    "Tọa đàm đọc sách cùng con",
    "Trưng bày sách pháp luật",
]
KINDS = [Library.Kind.TU_SACH] * 5 + [Library.Kind.THU_VIEN] * 3 + [Library.Kind.DIEM_DOC] * 2


def _months(first: datetime.date, last: datetime.date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def seed(*, rng, log) -> None:
    today = timezone.localdate()
    last_old = REFORM_DATE - datetime.timedelta(days=1)
    periods = [
        (c, datetime.date(FIRST_YEAR, 1, 1), last_old)
        for c in Centre.objects.filter(commune__valid_from__lt=REFORM_DATE).select_related("commune").order_by("pk")
    ] + [
        (c, REFORM_DATE, today)
        for c in Centre.objects.active()
        .filter(commune__valid_from__gte=REFORM_DATE)
        .select_related("commune")
        .order_by("pk")
    ]
    # A new centre took in several former ones: its library is about as busy as theirs were together (a little less).
    merged_from = dict(
        Centre.objects.active()
        .filter(predecessors__isnull=False)
        .annotate(n=Count("predecessors"))
        .values_list("pk", "n")
    )
    demo_ids = set(
        Centre.objects.active().filter(predecessors__commune__code=DEMO_COMMUNE_CODE).values_list("pk", flat=True)
    )
    libraries, months, holdings, events = [], [], [], []
    for centre, first, last in periods:
        demo_centre = centre.pk in demo_ids
        if not demo_centre and rng.random() > 0.6:
            if rng.random() < 0.5:  # said so: "no library"
                libraries.append(Library(centre=centre, kind=Library.Kind.NONE))
            continue
        kind = Library.Kind.THU_VIEN if demo_centre else rng.choice(KINDS)
        libraries.append(Library(centre=centre, kind=kind, place=f"Nhà văn hóa {centre.commune.name}"))
        size = {Library.Kind.THU_VIEN: 2.0, Library.Kind.TU_SACH: 1.0, Library.Kind.DIEM_DOC: 0.6}[kind]
        books = int(rng.randrange(300, 1500, 10) * size)
        base = rng.uniform(40, 160) * size * merged_from.get(centre.pk, 1) ** 0.8
        for year, month in _months(first, last):
            if (year, month) == (today.year, today.month):
                break  # this month is not over
            season = 1.3 if month in (6, 7, 8) else 1.0  # school holidays
            readers = max(0, int(rng.gauss(base * season, base * 0.2)))
            months.append(
                LibraryMonth(
                    centre=centre, year=year, month=month, readers=readers, loans=int(readers * rng.uniform(0.3, 0.6))
                )
            )
        for year in range(first.year, last.year + 1):
            books += rng.randrange(20, 200)
            as_of = min(datetime.date(year, 12, 31), last)
            holdings.append(
                Holding(
                    centre=centre, as_of=as_of, books=books, newspapers=rng.randint(2, 8), magazines=rng.randint(1, 6)
                )
            )
            year_first = max(first, datetime.date(year, 1, 1))
            span = (min(last, datetime.date(year, 12, 31)) - year_first).days
            for title in rng.sample(EVENT_TITLES, rng.randint(1, 3)):
                day = year_first + datetime.timedelta(days=rng.randint(0, max(span, 0)))
                events.append(ReadingEvent(centre=centre, date=day, title=title, participants=rng.randint(20, 150)))
    Library.objects.bulk_create(libraries, batch_size=BATCH)
    LibraryMonth.objects.bulk_create(months, batch_size=BATCH)
    Holding.objects.bulk_create(holdings, batch_size=BATCH)
    ReadingEvent.objects.bulk_create(events, batch_size=BATCH)
    log(
        f"  library: {sum(1 for lib in libraries if lib.kind)} libraries, {len(months)} months, "
        f"{len(holdings)} holdings counts, {len(events)} reading events"
    )
