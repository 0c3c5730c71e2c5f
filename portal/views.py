from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scoping
from centres import services as centre_services
from centres.models import BoardMember
from centres.selectors import centre_for_user
from courses import services as course_services
from courses.models import ClassSession, Course, Enrolment, Learner
from portal import selectors
from reminders import selectors as reminder_selectors
from tthtcd_portal.page_cache import snapshot_cached
from tthtcd_portal.params import date_param
from tthtcd_portal.refusal import refusal_shown


def _menu_names(user, centre) -> None:
    """The menu (base.html) names a staff member's centre: when it is the centre the page has just read, it
    reuses that row instead of reading it again."""
    if user.centre_id == centre.pk:
        user.centre = centre


@login_required
@snapshot_cached
def home(request: HttpRequest) -> HttpResponse:
    """What each role comes for: staff their centre's quick actions, reviewers their office's assessments,
    provincial officials the headline figures, administrators the imports and the admin site."""
    user = request.user
    today = timezone.localdate()
    context = {}
    already_read = {}  # what the reminders need and the role's home has read
    if user.is_centre_staff:
        staff = context["staff"] = selectors.staff_home(user=user, today=today)
        _menu_names(user, staff.centre)
        already_read = {"cycle": staff.cycle, "assessment": staff.assessment}
    elif user.is_reviewer:
        context["reviewer"] = selectors.reviewer_home(user=user, today=today)
    elif user.is_province_official:
        context["province"] = selectors.province_home(user=user, today=today)
    elif user.is_ministry_official:
        context["ministry"] = True
    context["is_admin"] = user.is_superuser or user.is_administrator
    context["reminders"] = reminder_selectors.reminders_for(user=user, today=today, **already_read)
    reminder_selectors.remember_count(user, context["reminders"])
    return render(request, "home.html", context)


@login_required
@snapshot_cached
def centre_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The centre's page (routed as centres:detail): the registry's record, board and instructors, and the
    sections the apps above the registry add — figures by year, latest classes, ratings, change history.
    It is assembled here, in the top layer, because those apps sit above centres."""
    centre = centre_for_user(request.user, pk)
    _menu_names(request.user, centre)
    today = timezone.localdate()
    typed = request.GET.get("ngay", "")
    board_date = date_param(typed) or today
    if typed and board_date == today and typed != today.isoformat():
        messages.warning(
            request, _("Ngày “%(value)s” không hợp lệ; đang hiện Ban Giám đốc hôm nay.") % {"value": typed[:20]}
        )
    context = {
        "centre": centre,
        "today": today,
        "board_is_today": board_date == today,
        "can_edit": scoping.can_edit_centre(request.user, centre),
        "can_merge": centre.is_active and scoping.is_province_level(request.user),
        "province_level": scoping.is_national_or_province_level(request.user),  # links to other centres (reads)
        **selectors.centre_page(user=request.user, centre=centre, board_date=board_date, today=today),
    }
    return render(request, "portal/centre_page.html", context)


# --- What was deleted, and its restore (issue 14 item 2) --------------------------------------------------------

# kind in the URL → (model, path to its centre, restore service, its keyword)
RESTORABLE = {
    "lop": (Course, "centre", course_services.course_restore, "course"),
    "buoi": (ClassSession, "course__centre", course_services.class_session_restore, "session"),
    "hoc-vien": (Learner, "centre", course_services.learner_restore, "learner"),
    "ghi-danh": (Enrolment, "course__centre", course_services.enrolment_restore, "enrolment"),
    "ban-giam-doc": (BoardMember, "centre", centre_services.board_member_restore, "member"),
}


@login_required
def archive_list(request: HttpRequest) -> HttpResponse:
    """What was deleted in the official's scope (classes with their sessions and roster, sessions, learners,
    enrolments, board terms), each with a restore button. Provincial officials and administrators."""
    scoping.require_province_level(request.user)
    return render(request, "portal/archive.html", {"removed": selectors.removed_in_scope(user=request.user)})


@login_required
@require_POST
def archive_restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Restore one deleted object; refused with the reason when its year is locked, its centre merged or its
    parent (the class of a session, the learner of an enrolment) still deleted."""
    if kind not in RESTORABLE:
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
    model, path, restore, keyword = RESTORABLE[kind]
    obj = scoping.get_scoped_or_404(request.user, model.all_objects.archived(), path, pk=pk)  # outsiders: 404
    scoping.require_province_level(request.user)
    with refusal_shown(request):
        restore(**{keyword: obj}, by=request.user)
        messages.success(request, _("Đã khôi phục %(what)s.") % {"what": obj})
    return redirect("archive")


@login_required
def bench_ping(request: HttpRequest) -> HttpResponse:
    """The cheapest logged-in page: session and user lookup, no template. Only routed when BENCH_HEADERS=1."""
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that could fail again: a plain template.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
