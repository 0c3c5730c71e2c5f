"""Writes to the registry: centres, boards, instructors, mergers.

Each function validates what the database cannot (overlapping Giám đốc terms, merge preconditions),
raises ValidationError with a Vietnamese message naming the field, and saves inside one transaction.
`by` is recorded as the history user, also when called outside a request (management commands).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scoping import require_province_level
from centres.models import BoardMember, Centre, Equipment, Instructor, InstructorAssignment, centre_default_name
from tthtcd_portal.concurrency import version_claim, versions_claim
from units.models import REFORM_DATE, Commune

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import Office, User


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
def centre_update(*, centre: Centre, fields: dict[str, Any], by: User, version: int | None = None) -> Centre:
    """Change the record or facilities of an active centre; only changed fields are written. `version` is the
    one the form showed: a save made since refuses this one (StaleEdit)."""
    if not centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    version_claim(centre, version=version)
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
    centres_merge_many(merges={target: sources}, on_date=on_date, by=by)
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
def board_member_update(
    *, member: BoardMember, fields: dict[str, Any], by: User, version: int | None = None
) -> BoardMember:
    """Change a member's record; a save made since the form showed `version` refuses this one (StaleEdit)."""
    version_claim(member, version=version)
    _assign(member, fields)
    _save_member(member, by, _("Sửa thông tin thành viên Ban Giám đốc"))
    return member


@transaction.atomic
def board_member_end(*, member: BoardMember, term_end: datetime.date, by: User) -> BoardMember:
    """End a member's term on `term_end`; the row stays as history."""
    member.term_end = term_end
    _save_member(member, by, _("Kết thúc nhiệm kỳ"))
    return member


@transaction.atomic
def board_member_archive(*, member: BoardMember, by: User) -> None:
    """Delete a board term as users see it (entered by mistake): archived, its history kept; a provincial official
    can restore it. A term that really ended is ended (board_member_end), not deleted."""
    if not member.centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    member.archived_at, member.archived_by = timezone.now(), by
    _save(member, by, _("Xóa thành viên Ban Giám đốc"), update_fields=["archived_at", "archived_by"])


@transaction.atomic
def board_member_restore(*, member: BoardMember, by: User) -> BoardMember:
    """Bring back an archived term, refused when it would now clash with the Giám đốc of the same time."""
    require_province_level(by)
    if member.archived_at is None:
        raise ValidationError(_("Thành viên này không ở trong lưu trữ."))
    member.archived_at, member.archived_by = None, None
    _save_member(member, by, _("Khôi phục thành viên Ban Giám đốc"))
    return member


# --- Equipment (part of the facilities) --------------------------------------------------------------


@transaction.atomic
def equipment_add(
    *, centre: Centre, name: str, quantity: int, received_on: datetime.date, note: str = "", by: User | None
) -> Equipment:
    """Add an item to an active centre's equipment (the resources app calls it for equipment given to the
    centre, inside its own transaction, and links the contribution to the item)."""
    if not centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    item = Equipment(centre=centre, name=name[:255], quantity=max(quantity, 1), received_on=received_on, note=note)
    _save(item, by, _("Thêm thiết bị"))
    return item


@transaction.atomic
def equipment_archive(*, item: Equipment, by: User | None, at: datetime.datetime | None = None) -> None:
    """Take an item off the centre's equipment: archived with its history (restorable), never destroyed."""
    item.archived_at, item.archived_by = at or timezone.now(), by
    _save(item, by, _("Xóa thiết bị"), update_fields=["archived_at", "archived_by"])


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
    *,
    link: InstructorAssignment,
    person: dict[str, Any],
    assignment: dict[str, Any],
    by: User,
    version: int | None = None,
    person_version: int | None = None,
) -> InstructorAssignment:
    """Change the person (seen by every centre they teach at) and their role at this centre. `version` is the
    role's, `person_version` the person's, as the form showed them: a save of either since refuses this one."""
    if not link.centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    versions_claim([(link, version), (link.instructor, person_version)])
    if _assign(link.instructor, person):
        _save(link.instructor, by, _("Sửa thông tin giảng viên"))
    if _assign(link, assignment):
        _save(link, by, _("Sửa thông tin giảng viên"))
    return link


# --- The 2025 reform -------------------------------------------------------------------------------

# The last day of the 3-tier communes and the day their centres merged (Nghị quyết 202/2025/QH15).
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)
# The lists that hold every commune of the country, for the message that names what to import first.
LEGACY_LIST, NEW_LIST = "units/data/gso_legacy_vn.csv", "units/data/gso_2025_vn.csv"


@dataclass
class MappingResult:
    old_communes: int
    new_communes: int
    communes_marked: int
    centres_created: int
    centres_merged: int
    districts_closed: int = 0
    provinces_merged: int = 0
    # Old communes split between new communes, counted by why their centre went where it did (mapping.Reason).
    split_by_reason: dict[str, int] = field(default_factory=dict)
    # Communes of the mapped old provinces that the file does not name, and how many of them were ended.
    unmapped: int = 0
    unmapped_provinces: int = 0
    unmapped_ended: int | None = None  # None: not asked to end them (--end-unmapped)
    # Centres the reform had merged into another new centre than the file now says, moved to the right one.
    centres_moved: int = 0

    def summary(self) -> str:
        lines = [
            f"old communes: {self.old_communes}, new communes: {self.new_communes}",
            f"communes marked: {self.communes_marked}, centres created: {self.centres_created}, "
            f"centres merged: {self.centres_merged}",
            f"districts closed: {self.districts_closed}, provinces merged: {self.provinces_merged}",
        ]
        if self.split_by_reason:
            by = self.split_by_reason
            lines.append(
                f"split communes: {sum(by.values())} (centre to the commune marked receives_centre: "
                f"{by.get('marked', 0)}, that kept the code: {by.get('kept_code', 0)}, of the same name: "
                f"{by.get('same_name', 0)}, listed first: {by.get('first_listed', 0)})"
            )
        if self.unmapped:
            if self.unmapped_ended is not None:
                lines.append(
                    f"communes not in the file: {self.unmapped} in {self.unmapped_provinces} provinces, ended on "
                    f"30/06/2025 without a successor ({self.unmapped_ended} by this run)"
                )
            else:
                lines.append(
                    f"communes not in the file: {self.unmapped} in {self.unmapped_provinces} provinces, left open "
                    f"with their centres (--end-unmapped ends them on 30/06/2025)"
                )
        if self.centres_moved:
            lines.append(f"centres moved to the new centre the file names: {self.centres_moved}")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Lists:
    """The communes of both lists by code: before the reform (valid on 30/06/2025) and from it."""

    old: dict
    new: dict

    @classmethod
    def read(cls) -> _Lists:
        """Two queries, each one whole list (~10,600 and ~3,300 rows nationally)."""
        old, new = {}, {}
        for commune in (
            Commune.objects.filter(valid_from__lt=REFORM_DATE).valid_on(LAST_DAY_BEFORE_REFORM).order_by("valid_from")
        ):
            old[commune.code] = commune  # the latest list of the code wins
        for commune in (
            Commune.objects.filter(valid_from__gte=REFORM_DATE).select_related("province").order_by("-valid_from")
        ):
            new[commune.code] = commune  # the earliest list from the reform on wins
        return cls(old=old, new=new)


def _rows_of_province(rows: list, destinations: dict, lists: _Lists, province: str) -> list:
    """The rows of the old communes whose centre goes to a commune of new province `province`: known from the
    file's new_province_code, else from the new commune's province in the register. Rows whose new commune is
    in neither stay, so that the check of the register names them."""
    dest_rows = {(r.old_code, r.new_code): r for r in rows}
    keep, found = set(), False
    for old_code, destination in destinations.items():
        commune = lists.new.get(destination.new_code)
        code = dest_rows[(old_code, destination.new_code)].new_province_code or (
            commune.province.code if commune else ""
        )
        if code == province:
            keep.add(old_code)
            found = True
        elif not code:
            keep.add(old_code)
    if not found:
        raise ValidationError(_("Tệp không có xã cũ nào chuyển về tỉnh mới mã %(code)s.") % {"code": province})
    return [r for r in rows if r.old_code in keep]


def _check_units_imported(rows: list, lists: _Lists) -> None:
    """One line for every row whose old or new commune is not in the register: the first such row, how many
    others, and what to import."""
    missing_old = [r for r in rows if r.old_code not in lists.old]
    missing_new = [r for r in rows if r.new_code not in lists.new]
    if not missing_old and not missing_new:
        return
    old_rows = {r.row for r in missing_old}
    first = min([*missing_old, *missing_new], key=lambda r: (r.row, r.row not in old_rows))
    if first.row in old_rows:
        message = _(
            "Dòng %(row)s, cột «old_ward_code»: không có xã mã %(code)s (%(name)s) trong danh mục trước 01/07/2025"
        ) % {"row": first.row, "code": first.old_code, "name": first.old_name}
    else:
        message = _("Dòng %(row)s, cột «new_ward_code»: chưa có xã mới mã %(code)s (%(name)s)") % {
            "row": first.row,
            "code": first.new_code,
            "name": first.new_name,
        }
    others = len(old_rows | {r.row for r in missing_new}) - 1
    if others:
        message += _(" (và %(count)s dòng khác có xã chưa có trong danh mục)") % {"count": others}
    lists_needed = [LEGACY_LIST] * bool(missing_old) + [NEW_LIST] * bool(missing_new)
    message += _(". Hãy nhập danh mục trước: %(commands)s") % {
        "commands": "; ".join(f"python manage.py import_admin_units {path}" for path in lists_needed)
    }
    raise ValidationError(message)


def _department_offices(province_ids: set[int]) -> dict[int, Any]:
    """The Sở office of each province that has one. One query."""
    from accounts.models import Office

    offices: dict[int, Any] = {}
    for office in Office.objects.filter(kind=Office.Kind.DEPARTMENT, province_id__in=province_ids).order_by("pk"):
        offices.setdefault(office.province_id, office)
    return offices


@transaction.atomic
def centres_open(*, communes: list[Commune], review_offices: dict[int, Any], by: User | None) -> list[Centre]:
    """An active centre with the standard name for each of `communes` (none may have one), reviewed by
    `review_offices[commune.pk]`. Bulk: a handful of queries for any number of communes."""
    taken = set(Centre.objects.active().filter(commune__in=communes).order_by().values_list("commune_id", flat=True))
    if taken:
        commune = next(c for c in communes if c.pk in taken)
        _check_one_active_centre(commune)  # raises the message naming the commune and its centre
    reason = _("Tạo trung tâm")
    centres = []
    for commune in communes:
        centre = Centre(
            commune=commune, name=centre_default_name(commune), review_office=review_offices.get(commune.pk)
        )
        centre._history_user, centre._change_reason = by, reason
        centres.append(centre)
    return bulk_create_with_history(centres, Centre, batch_size=500, default_user=by)


def _merge_reason(target: Centre, on_date: datetime.date) -> str:
    return _("Sáp nhập vào %(name)s từ %(day)s") % {
        "name": target.name,
        "day": date_format(on_date, "SHORT_DATE_FORMAT"),
    }


@transaction.atomic
def centres_merge_many(*, merges: dict[Centre, list[Centre]], on_date: datetime.date, by: User | None) -> int:
    """Every merge of `merges` (target → its sources) at once, as `centres_merge` does one: one UPDATE per
    target and the history rows in bulk. Returns how many centres were merged."""
    problems = [p for target, sources in merges.items() for p in merge_problems(sources=sources, target=target)]
    if problems:
        raise ValidationError(problems)
    changed = []
    now = timezone.now()
    for target, sources in merges.items():
        reason = _merge_reason(target, on_date)
        for centre in sources:
            centre.status, centre.status_date, centre.merged_into = Centre.Status.MERGED, on_date, target
            centre.updated_at, centre._history_user, centre._change_reason = now, by, reason
            changed.append(centre)
        # One UPDATE per target (its 1–7 sources): bulk_update's CASE over 10,000 rows costs far more.
        Centre.objects.filter(pk__in=[c.pk for c in sources]).update(
            status=Centre.Status.MERGED, status_date=on_date, merged_into=target, updated_at=now
        )
    Centre.history.bulk_history_create(changed, update=True, batch_size=500, default_user=by)
    _end_board_terms(centre_ids=[c.pk for c in changed], on_date=on_date, by=by)
    return len(changed)


def _end_board_terms(*, centre_ids: list[int], on_date: datetime.date, by: User | None) -> int:
    """The merged centres' boards leave office with their centre: every term still running on the merger date
    ends the day before it (the last day the old centre existed; the new centre's board is appointed from the
    merger date by the Chủ tịch UBND xã). A term that would start on or after that day ends the day it starts.
    Two UPDATEs and the history rows in bulk, whatever the number of centres."""
    last_day = on_date - datetime.timedelta(days=1)
    running = Q(centre_id__in=centre_ids) & (Q(term_end__isnull=True) | Q(term_end__gt=last_day))
    members = list(BoardMember.objects.filter(running))
    if not members:
        return 0
    BoardMember.objects.filter(running, term_start__lte=last_day).update(term_end=last_day)
    BoardMember.objects.filter(running, term_start__gt=last_day).update(term_end=F("term_start"))
    reason = _("Kết thúc nhiệm kỳ do sáp nhập trung tâm")
    for member in members:
        member.term_end = max(last_day, member.term_start)
        member._history_user, member._change_reason = by, reason
    BoardMember.history.bulk_history_create(members, update=True, batch_size=500, default_user=by)
    return len(members)


def _ids_in(queryset, lookup: str, ids, size: int = 500):
    """queryset.filter(<lookup>__in=ids), read in chunks so no query carries thousands of parameters."""
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield from queryset.filter(**{f"{lookup}__in": ids[start : start + size]})


@transaction.atomic
def commune_mapping_apply(
    *, rows: list, by: User | None, province: str | None = None, end_unmapped: bool = False
) -> MappingResult:
    """Apply the old→new commune mapping, all or nothing, idempotently: old communes end on 30/06/2025 and
    point to their new commune; each new commune gets an active centre if it has none; the active centres of
    the old communes are merged into it on 01/07/2025; districts whose communes all ended close, and an old
    province mapped wholly into one new province becomes part of it.

    A split commune's centre goes to one new commune (`mapping.centre_destinations`). `province` (a new
    province's code) applies only the old communes whose centre goes there. `end_unmapped` also ends, without a
    successor, the communes of the mapped old provinces that the file does not name. Raises ValidationError in
    one line when units are missing from the register. Queries: the two lists, one UPDATE per new commune
    whose predecessors change, centres read and written in chunks of 500, a few for districts and provinces (the
    nation: about 5 s on SQLite, bench/units_bench.py)."""
    from centres.mapping import centre_destinations

    destinations = centre_destinations(rows)
    lists = _Lists.read()
    all_old_codes = {r.old_code for r in rows}
    if province:
        rows = _rows_of_province(rows, destinations, lists, province)
    _check_units_imported(rows, lists)

    old = {r.old_code: lists.old[r.old_code] for r in rows}
    new = {r.new_code: lists.new[r.new_code] for r in rows}
    target_of = {code: new[destinations[code].new_code] for code in old}
    split_by_reason: dict[str, int] = {}
    for code in old:
        if destinations[code].parts > 1:
            split_by_reason[destinations[code].reason] = split_by_reason.get(destinations[code].reason, 0) + 1

    # 1. The old communes end and point to their new commune.
    earlier_target = {code: commune.merged_into_id for code, commune in old.items()}
    marked: dict[int, list[int]] = {}  # new commune → the old ones that now point to it
    for code, commune in old.items():
        target = target_of[code]
        if commune.valid_until != LAST_DAY_BEFORE_REFORM or commune.merged_into_id != target.pk:
            commune.valid_until, commune.merged_into = LAST_DAY_BEFORE_REFORM, target
            marked.setdefault(target.pk, []).append(commune.pk)
    # One UPDATE per new commune (2 to 7 old ones each): much cheaper than bulk_update's CASE over 10,000 rows.
    for target_pk, ids in marked.items():
        Commune.objects.filter(pk__in=ids).update(valid_until=LAST_DAY_BEFORE_REFORM, merged_into_id=target_pk)

    # 2. The communes of the same old provinces that the file does not name.
    old_province_ids = {c.province_id for c in old.values()}
    unmapped = [c for c in lists.old.values() if c.province_id in old_province_ids and c.code not in all_old_codes]
    ending = [c.pk for c in unmapped if c.valid_until != LAST_DAY_BEFORE_REFORM] if end_unmapped else []
    Commune.objects.filter(pk__in=ending).update(valid_until=LAST_DAY_BEFORE_REFORM)

    # 3. Every new commune has an active centre.
    centres_by_commune = {
        c.commune_id: c for c in _ids_in(Centre.objects.active().order_by(), "commune_id", [c.pk for c in new.values()])
    }
    predecessor_provinces: dict[int, set[int]] = {}
    for r in rows:
        predecessor_provinces.setdefault(new[r.new_code].pk, set()).add(old[r.old_code].province_id)
    offices = _department_offices({c.province_id for c in new.values()} | old_province_ids)
    opening = [c for c in sorted(new.values(), key=lambda c: c.code) if c.pk not in centres_by_commune]
    review_offices = {}
    for commune in opening:
        candidates = [commune.province_id, *sorted(predecessor_provinces.get(commune.pk, ()))]
        review_offices[commune.pk] = next((offices[p] for p in candidates if p in offices), None)
    for centre in centres_open(communes=opening, review_offices=review_offices, by=by):
        centres_by_commune[centre.commune_id] = centre

    # 4. The old communes' centres merge into their new commune's centre (or move there, when an earlier run
    #    of the mapping had sent them to another new centre).
    code_of = {c.pk: code for code, c in old.items()}
    merges: dict[Centre, list[Centre]] = {}
    moving = []
    old_centres = _ids_in(
        Centre.objects.exclude(status=Centre.Status.DISSOLVED).select_related("merged_into").order_by(),
        "commune_id",
        code_of,
    )
    for centre in old_centres:
        code = code_of[centre.commune_id]
        target = centres_by_commune[target_of[code].pk]
        if centre.is_active:
            merges.setdefault(target, []).append(centre)
        elif (
            centre.status_date == REFORM_DAY
            and centre.merged_into_id != target.pk
            and earlier_target[code] is not None
            and centre.merged_into.commune_id == earlier_target[code]
        ):
            centre.merged_into, centre.updated_at = target, timezone.now()
            centre._history_user, centre._change_reason = by, _merge_reason(target, REFORM_DAY)
            moving.append(centre)
    merged = centres_merge_many(merges=merges, on_date=REFORM_DAY, by=by)
    if moving:
        bulk_update_with_history(moving, Centre, ["merged_into", "updated_at"], batch_size=500, default_user=by)

    ended_codes = {c.code for c in unmapped} if end_unmapped else set()
    return MappingResult(
        old_communes=len(old),
        new_communes=len(new),
        communes_marked=sum(map(len, marked.values())),
        centres_created=len(opening),
        centres_merged=merged,
        districts_closed=_close_ended_districts(
            district_ids={c.district_id for c in [*old.values(), *unmapped] if c.district_id}
        ),
        provinces_merged=_merge_mapped_provinces(
            province_ids=old_province_ids, code_to_new=target_of, ended_codes=ended_codes
        ),
        split_by_reason=split_by_reason,
        unmapped=len(unmapped),
        unmapped_provinces=len({c.province_id for c in unmapped}),
        unmapped_ended=len(ending) if end_unmapped else None,
        centres_moved=len(moving),
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
        .order_by()
    )
    closing = []
    for district in candidates:
        district.valid_until = district.last
        closing.append(district)
    District.objects.bulk_update(closing, ["valid_until"], batch_size=500)
    return len(closing)


def _merge_mapped_provinces(*, province_ids: set[int], code_to_new: dict, ended_codes: set[str]) -> int:
    """An old province every one of whose communes (valid on the last day before the reform) maps into communes
    of one new province becomes part of it: `merged_into` that province, `valid_until` 30/06/2025. Then a
    provincial official of the new province sees the old centres (accounts.scoping.province_ids). Communes the
    mapping ended without a successor (`ended_codes`, --end-unmapped) do not hold it back. A province only
    partly mapped, or split between new provinces, is left open. Two queries, plus one per merged province."""
    from units.models import Commune, Province

    codes_by_province: dict[int, set[str]] = {}
    for province_id, code in (
        Commune.objects.filter(province_id__in=province_ids, valid_from__lt=REFORM_DAY)
        .valid_on(LAST_DAY_BEFORE_REFORM)
        .order_by()
        .values_list("province_id", "code")
    ):
        if code not in ended_codes:
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
