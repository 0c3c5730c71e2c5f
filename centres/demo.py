"""Demo registry: a centre for every Thái Bình commune (before the 2025 merger), with facilities, a board and
instructors whose names are Vietnamese and match their gender. About 1,700 board terms and 3,000
instructors, all by bulk_create: a second or two."""

from __future__ import annotations

import datetime
import random

from accounts.models import Office
from centres.models import (
    BoardMember,
    Centre,
    Engagement,
    Gender,
    Instructor,
    InstructorAssignment,
    centre_default_name,
)
from units.models import Commune

FAMILY = [
    ("Nguyễn", 30),
    ("Trần", 12),
    ("Phạm", 10),
    ("Vũ", 8),
    ("Đỗ", 6),
    ("Bùi", 6),
    ("Lê", 6),
    ("Hoàng", 4),
    ("Ngô", 3),
    ("Đặng", 3),
    ("Đinh", 2),
    ("Phan", 2),
    ("Mai", 2),
    ("Lương", 2),
    ("Tạ", 1),
    ("Đào", 2),
    ("Hà", 1),
    ("Tô", 1),
]
MIDDLE = {
    Gender.MALE: ["Văn", "Văn", "Văn", "Đức", "Quang", "Minh", "Hữu", "Công", "Xuân", "Ngọc", "Thế"],
    Gender.FEMALE: ["Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Hồng", "Minh", "Phương", "Kim"],
}
GIVEN = {
    Gender.MALE: [
        "Hùng",
        "Dũng",
        "Tuấn",
        "Hải",
        "Long",
        "Nam",
        "Thắng",
        "Quân",
        "Cường",
        "Sơn",
        "Bình",
        "Hòa",
        "Thành",
        "Trung",
        "Hiếu",
        "Khánh",
        "Tùng",
        "Phong",
        "Toàn",
        "Mạnh",
        "Huy",
        "Đạt",
        "Vinh",
        "Lâm",
    ],  # fmt: skip
    Gender.FEMALE: [
        "Lan",
        "Hương",
        "Hoa",
        "Mai",
        "Hằng",
        "Thảo",
        "Huyền",
        "Nga",
        "Linh",
        "Trang",
        "Yến",
        "Dung",
        "Hạnh",
        "Loan",
        "Nhung",
        "Thủy",
        "Hà",
        "Oanh",
        "Vân",
        "Liên",
        "Phượng",
        "Tâm",
        "Duyên",
        "Ngân",
    ],  # fmt: skip
}
# Mass organisations whose leaders sit on the board as members (Ủy viên).
ORGANISATIONS = [
    "Chủ tịch Hội Nông dân xã",
    "Chủ tịch Hội Liên hiệp Phụ nữ xã",
    "Bí thư Đoàn Thanh niên xã",
    "Chủ tịch Hội Cựu chiến binh xã",
    "Công chức Văn hóa – Xã hội xã",
    "Hiệu trưởng Trường Tiểu học",
]
FIELDS = [
    ("trồng trọt", "Trạm Khuyến nông huyện"),
    ("chăn nuôi, thú y", "Trạm Chăn nuôi và Thú y huyện"),
    ("nuôi trồng thủy sản", "Trạm Khuyến nông huyện"),
    ("pháp luật", "Tư pháp xã"),
    ("y tế, chăm sóc sức khỏe", "Trạm Y tế xã"),
    ("xóa mù chữ", "Trường Tiểu học"),
    ("tin học", "Trường THCS"),
    ("văn hóa, văn nghệ", "Nhà văn hóa xã"),
    ("dân số, kế hoạch hóa gia đình", "Trạm Y tế xã"),
    ("an toàn giao thông", "Công an xã"),
    ("nghề mây tre đan", "Hợp tác xã"),
]
KIND_WEIGHTS = [
    (InstructorAssignment.Kind.BAO_CAO_VIEN, 4),
    (InstructorAssignment.Kind.HUONG_DAN_VIEN, 3),
    (InstructorAssignment.Kind.CONG_TAC_VIEN, 3),
    (InstructorAssignment.Kind.GIAO_VIEN, 2),
]
BUILDINGS = [
    (Centre.Building.CULTURE_HOUSE, 45),
    (Centre.Building.OWN, 20),
    (Centre.Building.COMMUNE_OFFICE, 15),
    (Centre.Building.POST_OFFICE, 10),
    (Centre.Building.SCHOOL, 10),
]
TERM_START = datetime.date(2021, 7, 1)  # the commune People's Committees elected in 2021
PAST_TERM = (datetime.date(2016, 7, 1), datetime.date(2021, 6, 30))


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def person_name(rng: random.Random, gender: str) -> str:
    return f"{_pick(rng, FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def _phone(rng: random.Random) -> str:
    return "0" + rng.choice(["912", "983", "977", "868", "345", "394"]) + f"{rng.randrange(10**6):06d}"


def seed(*, rng, log) -> None:
    """A centre for every commune, reviewed by its district's office, with facilities, board and instructors."""
    offices = {o.district_id: o for o in Office.objects.filter(district__isnull=False)}
    communes = list(Commune.objects.filter(district__isnull=False).select_related("district").order_by("code"))
    centres = [
        Centre(
            commune=c,
            name=centre_default_name(c),
            review_office=offices.get(c.district_id),
            address=f"{c.name}, {c.district.name}",
            has_seal=rng.random() < 0.9,
            has_bank_account=rng.random() < 0.8,
        )
        for c in communes
    ]
    # The details draw from their own generator: the shared `rng` advances exactly as before, so the later
    # steps (courses, evaluations) see the same sequence whatever is added here.
    local = random.Random(f"centres-{rng.getstate()[1][:4]}")
    for centre in centres:
        _facilities(local, centre)
    Centre.objects.bulk_create(centres, batch_size=500)

    members: list[BoardMember] = []
    for centre in centres:
        members += _board(local, centre)
    BoardMember.objects.bulk_create(members, batch_size=1000)

    people: list[Instructor] = []
    links: list[tuple[int, int, InstructorAssignment]] = []  # (centre index, person index, link)
    for index, centre in enumerate(centres):
        for _n in range(local.randint(5, 20)):
            gender = local.choice([Gender.MALE, Gender.FEMALE])
            field, workplace = local.choice(FIELDS)
            people.append(
                Instructor(
                    full_name=person_name(local, gender),
                    gender=gender,
                    birth_year=local.randint(1960, 1998),
                    ethnicity="Kinh" if local.random() < 0.98 else local.choice(["Mường", "Tày", "Hoa"]),
                    field=field,
                    workplace=f"{workplace} {centre.commune.short_name}" if workplace.endswith("xã") else workplace,
                    phone=_phone(local) if local.random() < 0.8 else "",
                )
            )
            links.append((index, len(people) - 1, _assignment(local)))
    # Some district speakers (báo cáo viên) talk at a neighbouring centre too: one person, two centres.
    for index in range(1, len(centres), 7):
        links.append((index, local.randrange(len(people)), _assignment(local, InstructorAssignment.Kind.BAO_CAO_VIEN)))
    Instructor.objects.bulk_create(people, batch_size=1000)
    seen = set()
    assignments = []
    for index, person, link in links:
        if (index, person) in seen:
            continue
        seen.add((index, person))
        link.centre = centres[index]
        link.instructor = people[person]
        assignments.append(link)
    InstructorAssignment.objects.bulk_create(assignments, batch_size=1000)
    log(f"  centres: {len(centres)}, board terms: {len(members)}, instructors: {len(people)}")


def _facilities(rng: random.Random, centre: Centre) -> None:
    centre.building = _pick(rng, BUILDINGS)
    centre.rooms = rng.randint(1, 4)
    centre.seats = centre.rooms * rng.choice([30, 40, 50])
    centre.computers_with_internet = rng.choice([0, 0, 1, 2, 3, 5, 10])
    centre.has_library = rng.random() < 0.75
    if centre.has_library:
        centre.library_books = rng.randrange(200, 3000, 10)
        centre.library_readers_per_year = rng.randrange(100, 2500, 5)
    centre.phone = "0227" + f"{rng.randrange(3_000_000, 3_999_999):07d}" if rng.random() < 0.6 else ""
    year = rng.randint(2003, 2012)
    centre.decision_number = f"{rng.randint(100, 2999)}/QĐ-UBND"
    centre.decision_date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    centre.decision_issuer = f"UBND {centre.commune.district.name}"


def _member(rng, centre, position, main_post, start, end=None, engagement=Engagement.PART_TIME, gender=None):
    gender = gender or rng.choice([Gender.MALE, Gender.FEMALE])
    return BoardMember(
        centre=centre,
        full_name=person_name(rng, gender),
        gender=gender,
        position=position,
        main_post=main_post,
        engagement=engagement,
        appointment_decision=f"{rng.randint(10, 999)}/QĐ-UBND",
        decision_date=start - datetime.timedelta(days=rng.randint(1, 20)),
        # Before 01/07/2025 the district's People's Committee appointed the board (TT 40/2010).
        decision_signer=f"Chủ tịch UBND {centre.commune.district.name}" if centre.commune.district else "",
        term_start=start,
        term_end=end,
    )


def _board(rng: random.Random, centre: Centre) -> list[BoardMember]:
    P = BoardMember.Position
    kind = centre.commune.get_kind_display()
    chair = rng.choice([f"Chủ tịch UBND {kind.lower()}", f"Phó Chủ tịch UBND {kind.lower()}"])
    start = TERM_START + datetime.timedelta(days=rng.randint(0, 120))
    board = [
        _member(rng, centre, P.GIAM_DOC, chair, start, gender=_pick(rng, [(Gender.MALE, 3), (Gender.FEMALE, 1)])),
        _member(rng, centre, P.PHO_GIAM_DOC, "Chủ tịch Hội Khuyến học xã", start),
    ]
    if rng.random() < 0.6:
        board.append(
            _member(rng, centre, P.PHO_GIAM_DOC, "Giáo viên biệt phái", start, engagement=Engagement.FULL_TIME)
        )
    for post in rng.sample(ORGANISATIONS, rng.randint(2, 4)):
        board.append(_member(rng, centre, P.UY_VIEN, post, start))
    # The previous term's director, and now and then a member who left mid-term.
    board.append(_member(rng, centre, P.GIAM_DOC, f"Nguyên Chủ tịch UBND {kind.lower()}", *PAST_TERM))
    if rng.random() < 0.4:
        left = start + datetime.timedelta(days=rng.randint(200, 900))
        board.append(_member(rng, centre, P.UY_VIEN, rng.choice(ORGANISATIONS), start, left))
    return board


def _assignment(rng: random.Random, kind=None) -> InstructorAssignment:
    return InstructorAssignment(
        kind=kind or _pick(rng, KIND_WEIGHTS),
        engagement=Engagement.FULL_TIME if rng.random() < 0.1 else Engagement.PART_TIME,
        active=rng.random() < 0.9,
    )
