"""The "never trained" list's filter: one definition for its page and its export (reports/exports/training.py)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from training.forms import UntrainedFilterForm
from training.selectors import untrained_people
from tthtcd_portal.filtering import form_described


def untrained_filtered(*, user, params) -> tuple[UntrainedFilterForm, list]:
    """(the form, its rows). An invalid role is dropped; another unit's centre is a 404, as on every list."""
    form = UntrainedFilterForm(params or None, user=user)
    centre_id, role = None, None
    if form.is_bound:
        form.is_valid()
        if "trung_tam" in form.errors and params.get("trung_tam"):
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
        centre = form.cleaned_data.get("trung_tam")
        centre_id = centre.pk if centre else None
        role = form.cleaned_data.get("vai_tro") or None
    return form, untrained_people(user=user, day=timezone.localdate(), centre_id=centre_id, role=role)


def untrained_described(form: UntrainedFilterForm) -> list[tuple[str, str]]:
    if not form.is_bound:
        return []
    # The role may be invalid while the centre is fine: describe what applied.
    return [(label, text) for label, text in form_described(form)] if form.is_valid() else []
