"""Writes of the province's account management: create, change, deactivate and reactivate accounts, give a
first-time password, and a bulk import. Each takes the acting user (`by`), checks that the account and the
centre or office it is given are within what `by` manages, and records an AccountChange in the same
transaction. A first-time password is returned once, to be printed; the user must change it at first login."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts import scoping
from accounts.models import User
from centres.models import Centre
from staff_accounts.models import AccountChange

MANAGED_ROLES = (User.Role.CENTRE_STAFF, User.Role.REVIEWER)
# No 0/O, 1/l/I: the password is read off paper.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 10
# The fields an official sets, with the labels the audit trail shows.
FIELDS = ("username", "last_name", "first_name", "role", "centre", "office", "position", "phone", "email")


@dataclass
class Issued:
    """An account with the first-time password just given to it (shown once, on the printable list)."""

    account: User
    password: str


def first_password(user: User | None = None) -> str:
    """A random password of letters and digits that passes the project's validators."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if not (any(c.isdigit() for c in password) and any(c.isalpha() for c in password)):
            continue
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def _province_id(account: User) -> int | None:
    if account.role == User.Role.CENTRE_STAFF and account.centre_id:
        return account.centre.commune.province_id
    if account.role == User.Role.REVIEWER and account.office_id:
        return account.office.province_id
    return None


def _shown(account: User, name: str) -> str:
    value = getattr(account, name)
    if name == "role":
        return str(account.get_role_display())
    return "" if value is None else str(value)


def _snapshot(account: User) -> dict[str, str]:
    return {name: _shown(account, name) for name in FIELDS}


def _label(name: str) -> str:
    return capfirst(str(User._meta.get_field(name).verbose_name))


def _log(*, account: User, action: str, by: User, before: dict | None = None) -> AccountChange:
    after = _snapshot(account)
    if before is None:
        changes = {_label(n): ["", v] for n, v in after.items() if v}
    else:
        changes = {_label(n): [before[n], after[n]] for n in FIELDS if before[n] != after[n]}
    return AccountChange.objects.create(
        account=account, province_id=_province_id(account), action=action, changes=changes, by=by
    )


def _check_scope(*, account: User, by: User) -> None:
    """The account's centre or office must be one `by` manages, and the role one the province gives."""
    if account.role not in MANAGED_ROLES:
        raise ValidationError({"role": _("Chỉ tạo và quản lý tài khoản cán bộ trung tâm và chuyên viên đánh giá.")})
    if account.role == User.Role.CENTRE_STAFF:
        account.office = None
        if account.centre is None:
            raise ValidationError({"centre": _("Chọn trung tâm của cán bộ.")})
        if not Centre.objects.visible_to(by).filter(pk=account.centre.pk, status=Centre.Status.ACTIVE).exists():
            raise ValidationError({"centre": _("Trung tâm này không thuộc tỉnh của bạn hoặc đã ngừng hoạt động.")})
    else:
        account.centre = None
        if account.office is None:
            raise ValidationError({"office": _("Chọn đơn vị đánh giá của chuyên viên.")})
        if not scoping.visible_offices(by).filter(pk=account.office.pk).exists():
            raise ValidationError({"office": _("Đơn vị đánh giá này không thuộc tỉnh của bạn.")})


def _check_username(username: str, *, exclude_pk: int | None = None) -> None:
    taken = User.objects.filter(username__iexact=username)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"username": _("Tên đăng nhập «%(name)s» đã được dùng.") % {"name": username}})


def _prepare(account: User, *, by: User) -> None:
    _check_scope(account=account, by=by)
    account.full_clean(exclude=["password"], validate_unique=False)


@transaction.atomic
def account_create(*, by: User, fields: dict) -> Issued:
    """A new centre staff or reviewer account with a first-time password it must change at first login."""
    account = User(**{name: fields.get(name) or ("" if name not in ("centre", "office") else None) for name in FIELDS})
    account.username = account.username.strip()
    _check_username(account.username)
    _prepare(account, by=by)
    password = first_password(account)
    account.set_password(password)
    account.must_change_password = True
    account.save()
    _log(account=account, action=AccountChange.Action.CREATED, by=by)
    return Issued(account, password)


@transaction.atomic
def account_update(*, account: User, fields: dict, by: User) -> User:
    """Change an account's names, contact, role and centre or office (the username stays: it is how the person
    signs in). Nothing is recorded when nothing changed."""
    before = _snapshot(account)
    for name in FIELDS:
        if name != "username" and name in fields:
            setattr(account, name, fields[name] if fields[name] is not None else None)
    _prepare(account, by=by)
    if _snapshot(account) == before:
        return account
    account.save()
    _log(account=account, action=AccountChange.Action.CHANGED, by=by, before=before)
    return account


@transaction.atomic
def account_set_active(*, account: User, active: bool, by: User) -> User:
    """Deactivate (the person can no longer sign in; their name stays on what they recorded) or reactivate."""
    if account.pk == by.pk:
        raise ValidationError(_("Không thể tự khóa tài khoản của mình."))
    if account.is_active == active:
        return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    action = AccountChange.Action.REACTIVATED if active else AccountChange.Action.DEACTIVATED
    _log(account=account, action=action, by=by, before=_snapshot(account))
    return account


@transaction.atomic
def account_password_reset(*, account: User, by: User) -> Issued:
    """A new first-time password (a person who forgot theirs and has no e-mail): shown once, changed at login."""
    if not account.is_active:
        raise ValidationError(_("Tài khoản đang bị khóa: mở lại trước khi cấp mật khẩu."))
    password = first_password(account)
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    _log(account=account, action=AccountChange.Action.PASSWORD, by=by, before=_snapshot(account))
    return Issued(account, password)


@transaction.atomic
def accounts_import(*, rows: list[dict], by: User) -> list[Issued]:
    """Create every account of a checked import (staff_accounts.importer), all or nothing. Rows whose username
    already exists were marked "đã có" by the preview and are not passed here; if one appeared meanwhile, the
    whole import is refused, so an account is never created twice."""
    return [account_create(by=by, fields=row) for row in rows]
