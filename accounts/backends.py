"""The password backend: Django's, with the signed-in user read together with their unit (issue 18).

base.html names the user's centre, office or province on every page (the user menu) and the scoping rules read
it on most: `ModelBackend.get_user` reads the user alone, so each page paid a second query for the unit. Here
the user's row comes with its centre, office and province in one query (the same rows the foreign keys read).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("centre", "office", "province").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
