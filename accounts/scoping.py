"""Who sees and who edits what: the one place that decides.

Every view, selector and export asks here. Scope is expressed as a Q on the path to a centre, so any
model that hangs off a centre is filtered the same way:

    Course.objects.filter(centre_q(user, "centre__"))
    ClassSession.objects.filter(centre_q(user, "course__centre__"))

Rules:
- administrator: everything;
- Ministry official (Bộ GD&ĐT): every centre of every province, read-only — can_edit_centre is False, every
  province-level write (require_province_level) and every account or settings change is a 403; reads open to
  provincial officials are open to them through is_national_or_province_level (docs/accounts.md);
- provincial official: centres of their province and of the provinces merged into it (history);
- reviewer: centres whose review office is theirs (configuration, not a hard-coded district);
- centre staff: their own centre.
A lookup by id outside the scope is a 404 (get_scoped_or_404, which every app's `<entity>_for_user` selector
calls); a user who may read but not change gets 403 on a write (require_centre_edit).

This module names no model of the apps above it (centres, courses, …): rules are Qs and checks on objects
the caller passes, so accounts stays below the registry (docs/architecture.md, "Layers").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from tthtcd_portal.compiled import OneRow

if TYPE_CHECKING:
    from accounts.models import User
    from centres.models import Centre

M = TypeVar("M", bound=models.Model)

_NOTHING = Q(pk__in=[])


def province_ids(user: User) -> list[int]:
    """The user's province and those merged into it. One query (none when cached on the user)."""
    cached = getattr(user, "_scoping_province_ids", None)
    if cached is not None:
        return cached
    from units.models import Province

    ids = [user.province_id, *Province.objects.filter(merged_into_id=user.province_id).values_list("id", flat=True)]
    user._scoping_province_ids = ids
    return ids


def _centre_scope(user: User) -> tuple[str, list] | None:
    """The centres the user may see as one lookup on Centre and its values: ("", []) every centre, None none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser or user.is_administrator or user.is_ministry_official:
        return "", []
    if user.is_province_official:
        return "commune__province_id__in", province_ids(user)
    if user.is_reviewer:
        return "review_office_id", [user.office_id]
    if user.is_centre_staff:
        return "id", [user.centre_id]
    return None


def _scope_filter(lookup: str, values: list) -> dict:
    return {lookup: values} if lookup.endswith("__in") else {lookup: values[0]}


def centre_q(user: User, prefix: str = "") -> Q:
    """A Q selecting the centres (through `prefix`, e.g. "course__centre__") the user may see."""
    scope = _centre_scope(user)
    if scope is None:
        return _NOTHING
    lookup, values = scope
    return Q(**_scope_filter(prefix + lookup, values)) if lookup else Q()


def province_level_q(user: User, province_path: str = "province") -> Q | None:
    """For what a province owns (training courses, learning materials): a Q on `province_path` selecting the
    provinces a provincial official answers for (theirs and those merged into it), everything for
    administrators; None for reviewers, centre staff and Ministry officials, who see such things only through
    the centres they see (the apps' selectors; a Ministry official sees every centre, so all of them). Callers
    use it to decide who runs these things too (materials, training): it never answers for the Ministry."""
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_superuser or user.is_administrator:
        return Q()
    if user.is_province_official:
        return Q(**{f"{province_path}_id__in": province_ids(user)})
    return None


def scoped(user: User, queryset: models.QuerySet[M], centre_path: str) -> models.QuerySet[M]:
    """Filter any queryset by the path from its model to Centre ("" for Centre itself)."""
    prefix = f"{centre_path}__" if centre_path else ""
    return queryset.filter(centre_q(user, prefix))


def get_scoped_or_404(user: User, queryset: models.QuerySet[M], centre_path: str, **lookup) -> M:
    """Fetch one object the user may see, or 404: another unit's object does not exist for them."""
    try:
        return scoped(user, queryset, centre_path).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem.")) from None


class ScopedGet:
    """`get_scoped_or_404(user, build(), centre_path, pk=pk)` with its SQL built once per process for each shape of
    scope (the lookup and its number of values: one for a centre's staff, the province and those merged into it
    for an official), tthtcd_portal/compiled.py. The same rule (`_centre_scope`), the same row, the same 404;
    a scope with no value to bind (a user without a unit) goes through the ORM."""

    def __init__(self, build: Callable[[], models.QuerySet], centre_path: str) -> None:
        self.build = build
        self.centre_path = centre_path
        self._by_shape: dict[tuple[str, int], OneRow] = {}

    def __call__(self, user: User, pk: int) -> models.Model:
        scope = _centre_scope(user)
        if scope is None or None in scope[1]:
            return get_scoped_or_404(user, self.build(), self.centre_path, pk=pk)
        lookup, values = scope
        query = self._by_shape.get((lookup, len(values))) or self._compile(lookup, len(values))
        obj = query.get(pk, *values)
        if obj is None:
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
        return obj

    def _compile(self, lookup: str, count: int) -> OneRow:
        path = f"{self.centre_path}__{lookup}" if self.centre_path else lookup
        model = self.build().model
        fields = [model._meta.pk]
        if lookup:
            *relations, name = path.removesuffix("__in").split("__")
            related = model
            for relation in relations:
                related = related._meta.get_field(relation).related_model
            fields += [related._meta.get_field(name)] * count

        def build(pk, *values):
            queryset = self.build()
            if lookup:
                queryset = queryset.filter(**_scope_filter(path, list(values)))
            return queryset.filter(pk=pk)

        query = OneRow(build, fields=tuple(fields), markers=tuple(range(-7_100_001, -7_100_002 - count, -1)))
        self._by_shape[(lookup, count)] = query
        return query


# --- What a user may change -----------------------------------------------------------------------


def can_edit_centre(user: User, centre: Centre) -> bool:
    """Centre staff of that centre and provincial officials (and administrators) edit a centre's record;
    reviewers read. A merged or dissolved centre is read-only for everyone: its history is frozen."""
    if not centre.is_active:
        return False
    if user.is_superuser or user.is_administrator:
        return True
    if user.is_province_official:
        return centre.commune.province_id in province_ids(user)
    if user.is_centre_staff:
        return centre.pk == user.centre_id
    return False


def require_centre_edit(user: User, centre: Centre) -> None:
    """403 for a user who may see the centre but not change it (call after a scoped 404 lookup). A merged or
    dissolved centre's refusal says so: its staff and the province need to know why, not only that."""
    if not can_edit_centre(user, centre):
        if not centre.is_active:
            raise PermissionDenied(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
        raise PermissionDenied(_("Bạn chỉ được xem, không được sửa dữ liệu của trung tâm này."))


def is_province_level(user: User) -> bool:
    """Provincial officials and administrators: province-wide pages, rubric, approvals, settings."""
    return user.is_authenticated and (user.is_superuser or user.is_administrator or user.is_province_official)


def require_province_level(user: User) -> None:
    """403 for anyone but provincial officials and administrators: the province's writes (approvals, settings,
    imports, accounts, new centres). A Ministry official reads every province but changes none."""
    if not is_province_level(user):
        require_not_ministry(user)
        raise PermissionDenied(_("Chức năng này dành cho chuyên viên Sở GD&ĐT."))


def is_ministry(user: User) -> bool:
    """A Ministry official (Bộ GD&ĐT): every province, read-only."""
    return user.is_authenticated and user.is_active and user.is_ministry_official


def require_not_ministry(user: User) -> None:
    """403 for a Ministry official at the door of a write whose own check comes later or answers otherwise (a
    staged import's confirmation, the offline sync API, an account the official does not manage: 404)."""
    if is_ministry(user):
        raise PermissionDenied(_("Tài khoản của Bộ GD&ĐT chỉ xem số liệu, không dùng được chức năng này."))


def is_national_or_province_level(user: User) -> bool:
    """Who reads the province-wide pages (province dashboard, overviews, official reports): provincial
    officials and administrators, and Ministry officials for every province. Never a write check: writes ask
    is_province_level / require_province_level."""
    return is_province_level(user) or is_ministry(user)


def require_national_or_province_level(user: User) -> None:
    if not is_national_or_province_level(user):
        raise PermissionDenied(_("Chức năng này dành cho chuyên viên Sở GD&ĐT."))


def can_edit_province_settings(user: User, province_id: int | None) -> bool:
    """A province's settings (rubric, thresholds, deadlines, report header and signer, the programme kinds it
    uses) are changed by its own officials and by administrators. Those of a province merged into the
    official's are history: they see them (province_level_q), read-only."""
    if not user.is_authenticated or not user.is_active or province_id is None:
        return False
    if user.is_superuser or user.is_administrator:
        return True
    return user.is_province_official and province_id == user.province_id


def require_province_settings_edit(user: User, province_id: int | None) -> None:
    """403 for a user who sees a province's settings but may not change them (call after the 404 lookup)."""
    if not can_edit_province_settings(user, province_id):
        raise PermissionDenied(_("Thiết lập của tỉnh cũ (đã sáp nhập) chỉ được xem, không được sửa."))


def can_review_centre(user: User, centre: Centre) -> bool:
    """The reviewer of the centre's review office scores and proposes its rating."""
    return user.is_reviewer and centre.review_office_id is not None and centre.review_office_id == user.office_id


def is_reviewer_or_above(user: User) -> bool:
    """Reviewers, provincial officials, administrators and Ministry officials: the pages that list many
    centres (reads; a write asks can_edit_centre or is_province_level)."""
    return is_national_or_province_level(user) or (user.is_authenticated and user.is_reviewer)


def require_reviewer_or_above(user: User) -> None:
    """Pages that list many centres (registry list, overviews): not for centre staff."""
    if not is_reviewer_or_above(user):
        raise PermissionDenied(_("Trang này dành cho chuyên viên Phòng và Sở GD&ĐT."))


def require_administrator(user: User) -> None:
    if not (user.is_authenticated and (user.is_superuser or user.is_administrator)):
        raise PermissionDenied(_("Chức năng này dành cho quản trị hệ thống."))


def visible_provinces(user: User):
    from units.models import Province

    if user.is_superuser or user.is_administrator or user.is_ministry_official:
        return Province.objects.all()
    if user.is_province_official:
        return Province.objects.filter(id__in=province_ids(user))
    # Reviewers and staff: the province of the centres they see.
    return Province.objects.filter(centre_q(user, "communes__centres__")).distinct()


def visible_districts(user: User):
    """Districts that hold at least one centre the user sees (for filters and dashboards): a semi-join, each
    district kept when one of its communes has such a centre (EXISTS), not a DISTINCT over the join of every
    centre (the Ministry's ~13,000). No query until read."""
    from units.models import Commune, District

    centres = Commune.objects.filter(centre_q(user, "centres__"), district=OuterRef("pk"), centres__isnull=False)
    return District.objects.filter(Exists(centres))


def visible_offices(user: User):
    """Reviewing offices a user may pick when assigning centres: those of their province (and provinces
    merged into it) for provincial officials, all for administrators, none for others."""
    from accounts.models import Office

    if user.is_superuser or user.is_administrator:
        return Office.objects.all()
    if user.is_province_official:
        return Office.objects.filter(province_id__in=province_ids(user))
    return Office.objects.none()


def managed_accounts_q(user: User) -> Q:
    """The accounts a user manages (staff_accounts): for a provincial official, the centre staff of their
    province's centres and the reviewers of its offices (provinces merged into it included); for an
    administrator every staff and reviewer account; nobody else manages accounts."""
    roles = Q(role__in=["centre_staff", "reviewer"])
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_superuser or user.is_administrator:
        return roles
    if user.is_province_official:
        ids = province_ids(user)
        return Q(role="centre_staff", centre__commune__province_id__in=ids) | Q(
            role="reviewer", office__province_id__in=ids
        )
    return _NOTHING


def account_changes_q(user: User, prefix: str = "") -> Q:
    """Changes to accounts (staff_accounts.AccountChange, through `prefix`) a user may read in the audit trail:
    those of their province (and provinces merged into it) for officials, all for administrators."""
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_superuser or user.is_administrator:
        return Q()
    if user.is_province_official:
        return Q(**{f"{prefix}province_id__in": province_ids(user)})
    return _NOTHING


def findable_instructors_q(user: User, centre: Centre) -> Q:
    """The instructors (a Q on Instructor) a user who edits `centre` may find to add to it: people teaching at
    any centre of the same province, looked up by their exact phone number only (the caller filters by phone),
    so a commune's staff can add the agricultural officer who already teaches next door without browsing
    anyone's records."""
    if not can_edit_centre(user, centre):
        return _NOTHING
    return Q(assignments__centre__commune__province_id=centre.commune.province_id)
