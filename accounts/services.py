"""Writes to accounts: the user's own settings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User


def user_language_set(*, user: User, language: str) -> User:
    """Keep the interface language the user chose, so it follows them to any browser from the next login."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Ngôn ngữ không hợp lệ."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
