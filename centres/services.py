"""Writes to the registry: centres, boards, instructors, mergers.

Each function validates what the database cannot (overlapping Giám đốc terms, merge preconditions),
raises ValidationError with a Vietnamese message naming the field, and saves inside one transaction.
`by` is recorded as the history user, also when called outside a request (management commands).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centres.models import BoardMember, Centre, Instructor, InstructorAssignment, centre_default_name

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import Office, User
    from units.models import Commune


def _save(obj, by: User | None, reason: str, update_fields: list[str] | None = None) -> None:
    obj._history_user = by
    obj._change_reason = reason
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(update_fields=update_fields)


def _assign(obj, fields: dict[str, Any]) -> list[str]:
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    return changed


# --- Centres ---------------------------------------------------------------------------------------


def _check_one_active_centre(commune: Commune, *, exclude_pk: int | None = None) -> None:
    others = Centre.objects.active().filter(commune=commune)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    existing = others.first()
    if existing is not None:
        raise ValidationError(
            {
                "commune": _("%(commune)s đã có trung tâm đang hoạt động: %(centre)s. Mỗi xã chỉ có một trung tâm.")
                % {"commune": commune.name, "centre": existing.name}
            }
        )


@transaction.atomic
def centre_create(*, commune: Commune, name: str = "", by: User | None, **fields: Any) -> Centre:
    """An active centre for a commune that has none. The name defaults to the official form."""
    _check_one_active_centre(commune)
    centre = Centre(commune=commune, name=name or centre_default_name(commune), **fields)
    try:
        with transaction.atomic():
            _save(centre, by, _("Tạo trung tâm"))
    except IntegrityError:  # a concurrent request won the race; the constraint keeps one
        _check_one_active_centre(commune)
        raise
    return centre


@transaction.atomic
def centre_update(*, centre: Centre, fields: dict[str, Any], by: User) -> Centre:
    """Change the record or facilities of an active centre; only changed fields are written."""
    if not centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    changed = _assign(centre, fields)
    if changed:
        _save(centre, by, _("Sửa thông tin trung tâm"), update_fields=[*changed, "updated_at"])
    return centre


@dataclass
class MergeResult:
    target: Centre
    merged: list[Centre]


def merge_problems(*, sources: list[Centre], target: Centre) -> list[str]:
    """Why these centres cannot be merged (empty when they can). Shared by the form and the service."""
    problems = []
    if not target.is_active:
        problems.append(_("Trung tâm nhận sáp nhập %(name)s không còn hoạt động.") % {"name": target.name})
    if not sources:
        problems.append(_("Chọn ít nhất một trung tâm để sáp nhập."))
    for centre in sources:
        if centre.pk == target.pk:
            problems.append(_("Không thể sáp nhập một trung tâm vào chính nó."))
        elif not centre.is_active:
            problems.append(_("%(name)s không còn hoạt động, không sáp nhập được.") % {"name": centre.name})
    return problems


@transaction.atomic
def centres_merge(*, sources: list[Centre], target: Centre, on_date: datetime.date, by: User | None) -> MergeResult:
    """Mark each source centre merged into `target` from `on_date`. Nothing else moves: the old centres
    keep their classes, figures, board and instructors, under their old commune and district, read-only."""
    problems = merge_problems(sources=sources, target=target)
    if problems:
        raise ValidationError(problems)
    reason = _("Sáp nhập vào %(name)s từ %(day)s") % {
        "name": target.name,
        "day": date_format(on_date, "SHORT_DATE_FORMAT"),
    }
    for centre in sources:
        centre.status = Centre.Status.MERGED
        centre.status_date = on_date
        centre.merged_into = target
        _save(centre, by, reason, update_fields=["status", "status_date", "merged_into", "updated_at"])
    return MergeResult(target=target, merged=list(sources))


@transaction.atomic
def centres_assign_review_office(*, centres: Iterable[Centre], office: Office, by: User) -> int:
    """Point the chosen centres at a reviewing office (the province decides who reviews whom after the 2025
    reform). Returns how many changed; each change is in the centre's history, with who did it."""
    count = 0
    for centre in centres:
        if centre.review_office_id == office.pk:
            continue
        centre.review_office = office
        _save(centre, by, _("Phân công đơn vị đánh giá"), update_fields=["review_office", "updated_at"])
        count += 1
    return count


# --- Board -----------------------------------------------------------------------------------------


def _check_director_overlap(member: BoardMember) -> None:
    """At most one Giám đốc at a time: no other director term of the centre overlaps this one."""
    if member.position != BoardMember.Position.GIAM_DOC:
        return
    others = BoardMember.objects.filter(centre_id=member.centre_id, position=BoardMember.Position.GIAM_DOC)
    if member.pk:
        others = others.exclude(pk=member.pk)
    others = others.filter(term_end__isnull=True) | others.filter(term_end__gte=member.term_start)
    if member.term_end is not None:
        others = others.filter(term_start__lte=member.term_end)
    clash = others.order_by("term_start").first()
    if clash is not None:
        raise ValidationError(
            {
                "position": _(
                    "Trung tâm đã có Giám đốc %(name)s trong thời gian này (từ %(start)s). "
                    "Mỗi thời điểm chỉ có một Giám đốc: hãy kết thúc nhiệm kỳ của người đó trước."
                )
                % {"name": clash.full_name, "start": date_format(clash.term_start, "SHORT_DATE_FORMAT")}
            }
        )


def _check_term(member: BoardMember) -> None:
    if member.term_end is not None and member.term_end < member.term_start:
        raise ValidationError({"term_end": _("Ngày kết thúc nhiệm kỳ không được trước ngày bắt đầu.")})


def _save_member(member: BoardMember, by: User | None, reason: str) -> None:
    if not member.centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    _check_term(member)
    _check_director_overlap(member)
    _save(member, by, reason)


@transaction.atomic
def board_member_create(*, centre: Centre, fields: dict[str, Any], by: User | None) -> BoardMember:
    member = BoardMember(centre=centre, **fields)
    _save_member(member, by, _("Thêm thành viên Ban Giám đốc"))
    return member


@transaction.atomic
def board_member_update(*, member: BoardMember, fields: dict[str, Any], by: User) -> BoardMember:
    _assign(member, fields)
    _save_member(member, by, _("Sửa thông tin thành viên Ban Giám đốc"))
    return member


@transaction.atomic
def board_member_end(*, member: BoardMember, term_end: datetime.date, by: User) -> BoardMember:
    """End a member's term on `term_end`; the row stays as history."""
    member.term_end = term_end
    _save_member(member, by, _("Kết thúc nhiệm kỳ"))
    return member


# --- Instructors -----------------------------------------------------------------------------------


@transaction.atomic
def instructor_create(
    *, centre: Centre, person: dict[str, Any], assignment: dict[str, Any], by: User | None
) -> InstructorAssignment:
    """A new person teaching at `centre`."""
    if not centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    instructor = Instructor(**person)
    _save(instructor, by, _("Thêm giảng viên"))
    link = InstructorAssignment(centre=centre, instructor=instructor, **assignment)
    _save(link, by, _("Thêm giảng viên"))
    return link


@transaction.atomic
def instructor_link(
    *, centre: Centre, instructor: Instructor, assignment: dict[str, Any], by: User | None
) -> InstructorAssignment:
    """An existing person (already teaching elsewhere) starts teaching at `centre` too."""
    if not centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    if InstructorAssignment.objects.filter(centre=centre, instructor=instructor).exists():
        raise ValidationError(
            _("%(name)s đã có trong danh sách giảng viên của trung tâm.") % {"name": instructor.full_name}
        )
    link = InstructorAssignment(centre=centre, instructor=instructor, **assignment)
    _save(link, by, _("Thêm giảng viên"))
    return link


@transaction.atomic
def instructor_update(
    *, link: InstructorAssignment, person: dict[str, Any], assignment: dict[str, Any], by: User
) -> InstructorAssignment:
    """Change the person (seen by every centre they teach at) and their role at this centre."""
    if not link.centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    if _assign(link.instructor, person):
        _save(link.instructor, by, _("Sửa thông tin giảng viên"))
    if _assign(link, assignment):
        _save(link, by, _("Sửa thông tin giảng viên"))
    return link


# --- The 2025 reform -------------------------------------------------------------------------------

# The last day of the 3-tier communes and the day their centres merged (Nghị quyết 202/2025/QH15).
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)


@dataclass
class MappingResult:
    old_communes: int
    new_communes: int
    communes_marked: int
    centres_created: int
    centres_merged: int
    districts_closed: int = 0
    provinces_merged: int = 0

    def summary(self) -> str:
        return (
            f"old communes: {self.old_communes}, new communes: {self.new_communes}\n"
            f"communes marked: {self.communes_marked}, centres created: {self.centres_created}, "
            f"centres merged: {self.centres_merged}\n"
            f"districts closed: {self.districts_closed}, provinces merged: {self.provinces_merged}"
        )


def _department_office(province_ids: list[int]):
    """The Sở office that reviews the new communes' centres: of the new province first, else of an old one."""
    from accounts.models import Office

    offices = {
        o.province_id: o for o in Office.objects.filter(kind=Office.Kind.DEPARTMENT, province_id__in=province_ids)
    }
    for province_id in province_ids:
        if province_id in offices:
            return offices[province_id]
    return None


@transaction.atomic
def commune_mapping_apply(*, rows: list, by: User | None) -> MappingResult:
    """Apply the old→new commune mapping, all or nothing, idempotently: old communes end on 30/06/2025 and
    point to their new commune; each new commune gets an active centre if it has none; the active centres of
    the old communes are merged into it on 01/07/2025. Raises ValidationError naming a missing code."""
    from units.models import REFORM_DATE, Commune

    old_codes = {r.old_code for r in rows}
    new_codes = {r.new_code for r in rows}
    # Old communes: those of a pre-reform list that were valid on the last day before the reform.
    old = {
        c.code: c
        for c in Commune.objects.filter(code__in=old_codes, valid_from__lt=REFORM_DATE).valid_on(LAST_DAY_BEFORE_REFORM)
    }
    new = {c.code: c for c in Commune.objects.filter(code__in=new_codes, valid_from__gte=REFORM_DATE)}
    for r in rows:
        if r.old_code not in old:
            raise ValidationError(
                _(
                    "Dòng %(row)s, cột «old_ward_code»: không có xã mã %(code)s (%(name)s) trong danh mục trước 01/07/2025."
                )
                % {"row": r.row, "code": r.old_code, "name": r.old_name}
            )
        if r.new_code not in new:
            raise ValidationError(
                _(
                    "Dòng %(row)s, cột «new_ward_code»: chưa có xã mới mã %(code)s (%(name)s). Hãy nhập danh mục "
                    "2 cấp trước: python manage.py import_admin_units units/data/gso_2025_hung_yen.csv"
                )
                % {"row": r.row, "code": r.new_code, "name": r.new_name}
            )

    marked = []
    for r in rows:
        commune, target = old[r.old_code], new[r.new_code]
        if commune.valid_until != LAST_DAY_BEFORE_REFORM or commune.merged_into_id != target.pk:
            commune.valid_until = LAST_DAY_BEFORE_REFORM
            commune.merged_into = target
            marked.append(commune)
    Commune.objects.bulk_update(marked, ["valid_until", "merged_into"])

    new_ids = [c.pk for c in new.values()]
    centres_by_commune = {c.commune_id: c for c in Centre.objects.active().filter(commune_id__in=new_ids)}
    old_province_ids = sorted({c.province_id for c in old.values()})
    created = 0
    for commune in sorted(new.values(), key=lambda c: c.code):
        if commune.pk not in centres_by_commune:
            office = _department_office([commune.province_id, *old_province_ids])
            centres_by_commune[commune.pk] = centre_create(commune=commune, by=by, review_office=office)
            created += 1

    sources_by_target: dict[int, list[Centre]] = {}
    old_centres = Centre.objects.active().filter(commune_id__in=[c.pk for c in old.values()]).select_related("commune")
    code_to_new = {r.old_code: new[r.new_code] for r in rows}
    for centre in old_centres:
        target = centres_by_commune[code_to_new[centre.commune.code].pk]
        sources_by_target.setdefault(target.pk, []).append(centre)
    merged = 0
    targets = {c.pk: c for c in centres_by_commune.values()}
    for target_pk, sources in sources_by_target.items():
        merged += len(centres_merge(sources=sources, target=targets[target_pk], on_date=REFORM_DAY, by=by).merged)
    return MappingResult(
        old_communes=len(old),
        new_communes=len(new),
        communes_marked=len(marked),
        centres_created=created,
        centres_merged=merged,
        districts_closed=_close_ended_districts(district_ids={c.district_id for c in old.values() if c.district_id}),
        provinces_merged=_merge_mapped_provinces(province_ids=set(old_province_ids), code_to_new=code_to_new),
    )


def _close_ended_districts(*, district_ids: set[int]) -> int:
    """Districts of the mapped communes whose every commune has ended get the last day of their latest
    commune as `valid_until`. Two queries (three when some close); a district already closed is left as is."""
    from django.db.models import Count, Max, Q

    from units.models import District

    candidates = (
        District.objects.filter(pk__in=district_ids, valid_until__isnull=True)
        .annotate(
            open_communes=Count("communes", filter=Q(communes__valid_until__isnull=True)),
            last=Max("communes__valid_until"),
        )
        .filter(open_communes=0, last__isnull=False)
    )
    closing = []
    for district in candidates:
        district.valid_until = district.last
        closing.append(district)
    District.objects.bulk_update(closing, ["valid_until"])
    return len(closing)


def _merge_mapped_provinces(*, province_ids: set[int], code_to_new: dict) -> int:
    """An old province every one of whose communes (valid on the last day before the reform) maps into communes
    of one new province becomes part of it: `merged_into` that province, `valid_until` 30/06/2025. Then a
    provincial official of the new province sees the old centres (accounts.scoping.province_ids). A province
    only partly mapped, or split between new provinces, is left open. Two queries, plus one per merged province."""
    from units.models import Commune, Province

    codes_by_province: dict[int, set[str]] = {}
    for province_id, code in (
        Commune.objects.filter(province_id__in=province_ids, valid_from__lt=REFORM_DAY)
        .valid_on(LAST_DAY_BEFORE_REFORM)
        .values_list("province_id", "code")
    ):
        codes_by_province.setdefault(province_id, set()).add(code)
    done = 0
    for province in Province.objects.filter(pk__in=province_ids).order_by("code"):
        codes = codes_by_province.get(province.pk, set())
        targets = {code_to_new[code].province_id for code in codes if code in code_to_new}
        if not codes or not codes <= code_to_new.keys() or len(targets) != 1:
            continue
        target_id = targets.pop()
        if target_id == province.pk:
            continue
        if province.merged_into_id != target_id or province.valid_until != LAST_DAY_BEFORE_REFORM:
            province.merged_into_id, province.valid_until = target_id, LAST_DAY_BEFORE_REFORM
            province.save(update_fields=["merged_into", "valid_until"])
            done += 1
    return done
