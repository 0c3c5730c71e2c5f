"""Reads of the province's account management. Each docstring says what it costs in queries."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts import scoping
from accounts.models import User
from centres.models import Centre
from tthtcd_portal.vietnamese import by_name

ROLE_PARAM, ACTIVE_PARAM = "vai_tro", "tinh_trang"


def managed_accounts(*, user: User, q: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    """The accounts `user` manages, filtered, in Vietnamese name order, with their centre (and its commune) and
    office joined: one query for a page, whatever its rows."""
    qs = User.objects.filter(scoping.managed_accounts_q(user)).select_related("centre__commune", "office")
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(centre__name__icontains=q)
            | Q(office__name__icontains=q)
        )
    if role in (User.Role.CENTRE_STAFF, User.Role.REVIEWER):
        qs = qs.filter(role=role)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.order_by(by_name("first_name"), by_name("last_name"), "username")


def managed_account_or_404(*, user: User, pk: int) -> User:
    """One account `user` manages, else 404 (another province's account is not found)."""
    return get_object_or_404(User.objects.filter(scoping.managed_accounts_q(user)), pk=pk)


def assignable_centres(user: User) -> QuerySet[Centre]:
    """Active centres `user` may give a staff account (their province's)."""
    return Centre.objects.visible_to(user).filter(status=Centre.Status.ACTIVE).select_related("commune")


def assignable_offices(user: User):
    return scoping.visible_offices(user)
