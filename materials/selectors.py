"""Reads of the learning materials. Each docstring says what it costs in queries.

Who sees what (on top of accounts.scoping): the province's officials every material of their province, pending
or not; everyone else the published materials of the provinces their centres are in, plus whatever the centres
they see have uploaded (a centre's staff follow their own uploads while they wait)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import scoping
from materials.models import CourseMaterial, Material


def visible_materials_q(user) -> Q:
    province_q = scoping.province_level_q(user)
    if province_q is not None:
        return province_q
    provinces = scoping.visible_provinces(user).values("id")
    return Q(status=Material.Status.PUBLISHED, province_id__in=provinces) | scoping.centre_q(user, "centre__")


def material_list(*, user) -> QuerySet:
    """Materials the user sees, newest first, with kind, centre and commune joined. One query per page."""
    return (
        Material.objects.filter(visible_materials_q(user))
        .select_related("programme_kind", "centre__commune")
        .order_by("-issued_on", "-id")
    )


def material_for_user(user, pk: int) -> Material:
    """One material the user sees, or 404. One query."""
    found = (
        Material.objects.filter(visible_materials_q(user), pk=pk)
        .select_related("programme_kind", "centre__commune", "uploaded_by", "reviewed_by")
        .first()
    )
    if found is None:
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
    return found


def pending_count(*, user) -> int:
    """Centre uploads waiting for this provincial official's approval (0 for others). One query."""
    province_q = scoping.province_level_q(user)
    if province_q is None:
        return 0
    return Material.objects.filter(province_q, status=Material.Status.PENDING).count()


def course_materials(*, course) -> list[CourseMaterial]:
    """The materials a class used, in the order they were added. One query."""
    return list(CourseMaterial.objects.filter(course=course).select_related("material__programme_kind"))


def course_material_choices(*, user, course) -> QuerySet:
    """Published materials the user sees that the class has not listed yet. Lazy."""
    used = CourseMaterial.objects.filter(course=course).values("material_id")
    return (
        Material.objects.filter(visible_materials_q(user), status=Material.Status.PUBLISHED)
        .exclude(pk__in=used)
        .order_by("-issued_on", "-id")
    )
