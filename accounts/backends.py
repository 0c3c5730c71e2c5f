"""The password backend: Django's, with the signed-in user read together with their unit (issue 18).

base.html names the user's centre, office or province on every page (the user menu) and the scoping rules read
it on most: `ModelBackend.get_user` reads the user alone, so each page paid a second query for the unit. Here
the user's row comes with its centre, office and province in one query (the same rows the foreign keys read),
its SQL built once per process (tthtcd_portal/compiled.py: building it cost more than running it).
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from tthtcd_portal.compiled import OneRow


@cache
def _signed_in_user() -> OneRow:
    manager = get_user_model()._default_manager
    return OneRow(
        lambda pk: manager.select_related("centre", "office", "province").filter(pk=pk),
        fields=(get_user_model()._meta.pk,),
        markers=(-7_000_001,),
    )


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user = _signed_in_user().get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
