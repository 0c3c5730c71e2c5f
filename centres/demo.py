"""Demo registry: a centre for every commune of former Thái Bình and former Hưng Yên (381, to 30/06/2025),
merged on 01/07/2025 into the centre of its new commune of today's Hưng Yên (104) by the real mapping service
(centres.services.commune_mapping_apply with units/data/commune_mapping_2025_hung_yen.csv). Facilities, boards
and instructors with Vietnamese names that match their gender; the former boards' terms end on 30/06/2025 and
each new centre's board is appointed from July 2025 by the Chủ tịch UBND xã; a new centre keeps some of its
predecessors' instructors. Bulk inserts: a few seconds."""

from __future__ import annotations

import datetime
import random

from accounts.demo import cluster_name_for
from accounts.models import Office
from centres.mapping import parse_commune_mapping
from centres.models import (
    BoardMember,
    Centre,
    Engagement,
    Gender,
    Instructor,
    InstructorAssignment,
    centre_default_name,
)
from centres.services import commune_mapping_apply
from units.demo import MAPPING_HUNG_YEN
from units.models import REFORM_DATE, Commune

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
# The new communes' People's Committees appointed their centres' boards in the weeks after the reform.
NEW_TERM_START = REFORM_DATE


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def person_name(rng: random.Random, gender: str) -> str:
    return f"{_pick(rng, FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def _phone(rng: random.Random) -> str:
    return "0" + rng.choice(["912", "983", "977", "868", "345", "394"]) + f"{rng.randrange(10**6):06d}"


def seed(*, rng, log) -> None:
    """A centre for every former commune, reviewed by its district's office, with facilities, board and
    instructors; then the 2025 reform applied to them (see _seed_reform)."""
    offices = {o.district_id: o for o in Office.objects.filter(district__isnull=False)}
    communes = list(
        Commune.objects.filter(district__isnull=False, valid_from__lt=REFORM_DATE)
        .select_related("district")
        .order_by("code")
    )
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
    _seed_reform(local, log)


def _seed_reform(rng: random.Random, log) -> None:
    """01/07/2025 as the province lived it, through the mapping service an official would run: the former
    communes end, each new commune gets its centre (reviewed by the Sở), the former centres merge into it and
    their boards' terms end on 30/06/2025. Then what the province did next: each new centre is reviewed by the
    cluster office of the former district most of its communes came from (the lower code on a tie), gets its
    facilities, a board appointed by the Chủ tịch UBND xã and some of its predecessors' instructors."""
    with MAPPING_HUNG_YEN.open("rb") as handle:
        rows = parse_commune_mapping(handle, MAPPING_HUNG_YEN.name)
    result = commune_mapping_apply(rows=rows, by=None)
    log("  reform: " + result.summary().replace("\n", "; "))

    clusters = {o.name: o for o in Office.objects.filter(kind=Office.Kind.CLUSTER)}
    predecessors: dict[int, list[Centre]] = {}
    for old in Centre.objects.filter(merged_into__isnull=False).select_related("commune__district").order_by("pk"):
        predecessors.setdefault(old.merged_into_id, []).append(old)
    new_centres = list(
        Centre.objects.active().filter(commune__valid_from__gte=REFORM_DATE).select_related("commune").order_by("pk")
    )
    for centre in new_centres:
        districts = [c.commune.district for c in predecessors.get(centre.pk, [])]
        if districts:
            main = max(sorted({d.code: d for d in districts}.values(), key=lambda d: d.code), key=districts.count)
            centre.review_office = clusters.get(cluster_name_for(main), centre.review_office)
            # "khu vực huyện Đông Hưng cũ": the unit's kind in lower case, its name as written
            centre.address = f"{centre.commune.name}, khu vực {main.name[0].lower()}{main.name[1:]} cũ"
        centre.has_seal = True
        centre.has_bank_account = rng.random() < 0.9
        _facilities(rng, centre)
        centre.decision_number = f"{rng.randint(1, 99)}/QĐ-UBND"
        centre.decision_date = REFORM_DATE + datetime.timedelta(days=rng.randint(0, 20))
        centre.decision_issuer = f"UBND {centre.commune.name}"
    fields = ["review_office", "address", "has_seal", "has_bank_account", "building", "rooms", "seats"]
    fields += ["computers_with_internet", "phone"]
    fields += ["decision_number", "decision_date", "decision_issuer"]
    Centre.objects.bulk_update(new_centres, fields, batch_size=500)

    members: list[BoardMember] = []
    for centre in new_centres:
        members += _new_board(rng, centre)
    BoardMember.objects.bulk_create(members, batch_size=1000)

    by_centre: dict[int, list[InstructorAssignment]] = {}
    for link in InstructorAssignment.objects.filter(active=True).order_by("pk"):
        by_centre.setdefault(link.centre_id, []).append(link)
    assignments = []
    for centre in new_centres:
        pool = [link for old in predecessors.get(centre.pk, []) for link in by_centre.get(old.pk, [])]
        for link in rng.sample(pool, min(len(pool), rng.randint(8, 20))):
            assignments.append(
                InstructorAssignment(
                    centre=centre, instructor_id=link.instructor_id, kind=link.kind, engagement=link.engagement
                )
            )
    InstructorAssignment.objects.bulk_create(assignments, batch_size=1000)
    log(f"  new centres: {len(new_centres)}, board terms: {len(members)}, instructors kept: {len(assignments)}")


def _new_board(rng: random.Random, centre: Centre) -> list[BoardMember]:
    """A new centre's board: appointed from July 2025 by the Chủ tịch UBND of the new commune."""
    P = BoardMember.Position
    kind = centre.commune.get_kind_display().lower()
    start = NEW_TERM_START + datetime.timedelta(days=rng.randint(0, 45))
    signer = f"Chủ tịch UBND {centre.commune.name}"
    board = [
        _member(rng, centre, P.GIAM_DOC, rng.choice([f"Chủ tịch UBND {kind}", f"Phó Chủ tịch UBND {kind}"]), start),
        _member(rng, centre, P.PHO_GIAM_DOC, f"Chủ tịch Hội Khuyến học {kind}", start),
    ]
    if rng.random() < 0.7:
        board.append(
            _member(rng, centre, P.PHO_GIAM_DOC, "Giáo viên biệt phái", start, engagement=Engagement.FULL_TIME)
        )
    for post in rng.sample(ORGANISATIONS, rng.randint(2, 4)):
        board.append(_member(rng, centre, P.UY_VIEN, post, start))
    for member in board:
        member.decision_signer = signer
    return board


def _facilities(rng: random.Random, centre: Centre) -> None:
    centre.building = _pick(rng, BUILDINGS)
    centre.rooms = rng.randint(1, 4)
    centre.seats = centre.rooms * rng.choice([30, 40, 50])
    centre.computers_with_internet = rng.choice([0, 0, 1, 2, 3, 5, 10])
    # The library is the library app's now (library/demo.py); these draws stay so the rest of the demo is the same.
    if rng.random() < 0.75:
        rng.randrange(200, 3000, 10), rng.randrange(100, 2500, 5)
    centre.phone = "0227" + f"{rng.randrange(3_000_000, 3_999_999):07d}" if rng.random() < 0.6 else ""
    year = rng.randint(2003, 2012)
    centre.decision_number = f"{rng.randint(100, 2999)}/QĐ-UBND"
    centre.decision_date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    centre.decision_issuer = f"UBND {centre.commune.district.name}" if centre.commune.district else ""


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
