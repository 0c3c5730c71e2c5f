"""One way for a page to show a service's refusal. Services refuse with a ValidationError carrying a
Vietnamese message (a stale save, a locked year, a missing reason); the page shows it — on its form when it
has one (field errors on their fields), else as a message — and carries on to re-render or redirect:

    with refusal_shown(request, form=form):
        course = services.course_create(centre=centre, by=request.user, **data)
        messages.success(request, _("Đã tạo lớp …"))
        return redirect("courses:detail", pk=course.pk)
    return render(request, "courses/course_form.html", {"form": form})   # reached when refused
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError

from tthtcd_portal.concurrency import stale_shown


def refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@contextlib.contextmanager
def refusal_shown(request, *, form=None):
    """Run the block; a ValidationError it raises becomes the page's message and the block is left."""
    try:
        yield
    except ValidationError as error:
        if form is not None:
            stale_shown(form, error)
        if form is not None and set(getattr(error, "error_dict", {})) <= set(form.fields):
            form.add_error(None, error)  # a field's refusal on that field, the others above the form
        elif form is not None:
            form.add_error(None, refusal_text(error))
        else:
            messages.error(request, refusal_text(error))
