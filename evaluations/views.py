"""Pages of the annual evaluation. Scope checks through accounts.scoping, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import scoping
from centres import services as centre_services
from centres.models import Centre
from centres.selectors import centre_for_user
from evaluations import selectors, services
from evaluations.forms import (
    AssignOfficeForm,
    AttachmentForm,
    CriterionForm,
    CycleForm,
    ProposeForm,
    ReasonForm,
    ScoreSheetForm,
    ThresholdsForm,
)
from evaluations.models import RATING_ORDER, Assessment, Attachment, Criterion, EvaluationCycle, Rubric
from evaluations.services import EvaluationError, StaleAssessment
from tthtcd_portal.params import id_param, int_param, year_param
from tthtcd_portal.vietnamese import by_name

Status = Assessment.Status


def _year(request: HttpRequest, default: int | None = None) -> int:
    """?nam=2025, else the latest rubric year, else this year."""
    value = int_param(request.GET.get("nam") or request.POST.get("nam"), minimum=2000, maximum=2100)
    if value is not None:
        return value
    if default is not None:
        return default
    years = selectors.evaluation_years()
    return years[0] if years else timezone.localdate().year


def _error_text(exc: EvaluationError) -> str:
    return " ".join(exc.messages)


# --- Home and overviews ---------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Centre staff: their centre's years. Reviewer: their office's centres for a year. Province: by office."""
    user = request.user
    years = selectors.evaluation_years()
    if user.is_centre_staff:
        assessments, open_years = selectors.staff_assessments(user=user)
        return render(request, "evaluations/home_staff.html", {"assessments": assessments, "open_years": open_years})
    year = _year(request)
    if user.is_reviewer:
        rows = selectors.office_overview(user=user, year=year)
        return render(
            request,
            "evaluations/overview.html",
            {"rows": rows, "year": year, "years": years, "office": user.office},
        )
    scoping.require_province_level(user)
    offices = selectors.province_overview(user=user, year=year)
    statuses = [(s.value, s.label) for s in Status]
    return render(
        request,
        "evaluations/home_province.html",
        {"offices": offices, "year": year, "years": years, "statuses": statuses},
    )


@login_required
def office_overview(request: HttpRequest, office_id: int) -> HttpResponse:
    """The province's view of one reviewing office's centres, with the bulk approval."""
    scoping.require_province_level(request.user)
    year = _year(request)
    rows = selectors.office_overview(user=request.user, year=year, office_id=office_id)
    if not rows:
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
    proposed = sum(1 for r in rows if r.assessment and r.assessment.status == Status.PROPOSED)
    return render(
        request,
        "evaluations/overview.html",
        {
            "rows": rows,
            "year": year,
            "years": selectors.evaluation_years(),
            "office": rows[0].centre.review_office,
            "proposed_count": proposed,
            "bulk": True,
        },
    )


@login_required
@require_POST
def bulk_approve(request: HttpRequest, office_id: int) -> HttpResponse:
    scoping.require_province_level(request.user)
    if not scoping.visible_offices(request.user).filter(pk=office_id).exists():
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
    year = _year(request)
    assessments = list(selectors.proposed_for_office(user=request.user, year=year, office_id=office_id))
    try:
        count = services.assessments_approve_bulk(assessments=assessments, by=request.user)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã phê duyệt và khóa %(n)s trung tâm.") % {"n": count})
    return redirect(f"{reverse('evaluations:office', args=[office_id])}?nam={year}")


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    scoping.require_reviewer_or_above(request.user)
    year = _year(request)
    today = timezone.localdate()
    cycle, rows = selectors.overdue(user=request.user, year=year, today=today)
    return render(
        request,
        "evaluations/overdue.html",
        {"cycle": cycle, "rows": rows, "year": year, "years": selectors.evaluation_years(), "today": today},
    )


@login_required
def distribution(request: HttpRequest) -> HttpResponse:
    """Approved ratings by district: counts, percentages adding to 100,0%, change on an earlier year."""
    scoping.require_reviewer_or_above(request.user)
    years = selectors.evaluation_years()
    year = _year(request)
    compare = request.GET.get("so_voi")
    compare_year = year_param(compare)
    compare_year = compare_year if compare_year is not None and compare_year < year else None
    if compare_year is None and compare is None:
        compare_year = next((y for y in years if y < year), None)
    rows = selectors.rating_distribution(user=request.user, year=year, compare_year=compare_year)
    ratings = [(r.value, r.label) for r in RATING_ORDER]
    return render(
        request,
        "evaluations/distribution.html",
        {"rows": rows, "year": year, "compare_year": compare_year, "years": years, "ratings": ratings},
    )


# --- One assessment -------------------------------------------------------------------------------


@login_required
@require_POST
def assessment_start(request: HttpRequest, centre_id: int) -> HttpResponse:
    centre = centre_for_user(request.user, centre_id)
    scoping.require_centre_edit(request.user, centre)
    year = _year(request)
    try:
        assessment = services.assessment_start(centre=centre, year=year, by=request.user)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("evaluations:home")
    return redirect("evaluations:detail", pk=assessment.pk)


def _permissions(user, assessment: Assessment) -> dict:
    centre = assessment.centre
    province = scoping.is_province_level(user)
    return {
        "can_self": scoping.can_edit_centre(user, centre) and assessment.self_editable,
        "can_review": scoping.can_review_centre(user, centre) and assessment.review_editable,
        "can_approve": province and assessment.status == Status.PROPOSED,
        "can_return": province and assessment.status in (Status.SUBMITTED, Status.PROPOSED),
        "can_unlock": province and assessment.status == Status.APPROVED,
    }


def _render_detail(request: HttpRequest, assessment: Assessment, status: int = 200, **forms) -> HttpResponse:
    perms = _permissions(request.user, assessment)
    sheet = selectors.assessment_sheet(assessment)
    criteria = [row.criterion for block in sheet for row in block.rows]
    scores = {row.criterion.pk: row.score for block in sheet for row in block.rows if row.score}
    initial = {"version": assessment.version}
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "events": selectors.assessment_history(assessment),
        "attachments": assessment.attachments.select_related("uploaded_by"),
        "computed_rating": services.assessment_computed_rating(assessment) if perms["can_review"] else None,
        **perms,
    }
    if perms["can_self"]:
        context["self_form"] = forms.get("self_form") or ScoreSheetForm(
            initial={**initial, "comment": assessment.self_comment}, criteria=criteria, scores=scores, mode="self"
        )
        context["attach_form"] = forms.get("attach_form") or AttachmentForm()
    if perms["can_review"]:
        context["review_form"] = forms.get("review_form") or ScoreSheetForm(
            initial={**initial, "comment": assessment.review_comment},
            criteria=criteria,
            scores=scores,
            mode="review",
        )
        computed = context["computed_rating"]
        context["propose_form"] = forms.get("propose_form") or ProposeForm(initial={**initial, "rating": computed})
    if perms["can_return"] or perms["can_unlock"]:
        context["reason_form"] = forms.get("reason_form") or ReasonForm(initial=initial)
    return render(request, "evaluations/detail.html", context, status=status)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    return _render_detail(request, assessment)


def _stale(request: HttpRequest, assessment: Assessment, exc: StaleAssessment) -> HttpResponse:
    messages.error(request, _error_text(exc))
    return redirect("evaluations:detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_self_save(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    scoping.require_centre_edit(request.user, assessment.centre)
    sheet = selectors.assessment_sheet(assessment)
    criteria = [row.criterion for block in sheet for row in block.rows]
    form = ScoreSheetForm(request.POST, criteria=criteria, scores={}, mode="self")
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: kiểm tra các ô báo lỗi."))
        return _render_detail(request, assessment, status=400, self_form=form)
    submit = "submit" in request.POST
    try:
        services.assessment_self_save(
            assessment=assessment,
            version=form.cleaned_data["version"],
            entries=form.entries(),
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
        if submit:
            services.assessment_submit(assessment=assessment, version=assessment.version, by=request.user)
    except StaleAssessment as exc:
        return _stale(request, assessment, exc)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("evaluations:detail", pk=assessment.pk)
    if submit:
        messages.success(request, _("Đã nộp tự đánh giá; phiếu chuyển cho đơn vị thẩm định."))
    else:
        messages.success(request, _("Đã lưu tự đánh giá."))
    return redirect("evaluations:detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_attach(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    scoping.require_centre_edit(request.user, assessment.centre)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa chọn tệp để đính kèm."))
        return redirect("evaluations:detail", pk=assessment.pk)
    try:
        services.assessment_attach(assessment=assessment, uploaded=form.cleaned_data["file"], by=request.user)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã đính kèm tệp."))
    return redirect("evaluations:detail", pk=assessment.pk)


def _require_reviewer(request: HttpRequest, assessment: Assessment) -> None:
    if not scoping.can_review_centre(request.user, assessment.centre):
        raise PermissionDenied(_("Chỉ chuyên viên của đơn vị đánh giá trung tâm này được thẩm định."))


@login_required
@require_POST
def assessment_review_save(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    _require_reviewer(request, assessment)
    sheet = selectors.assessment_sheet(assessment)
    criteria = [row.criterion for block in sheet for row in block.rows]
    form = ScoreSheetForm(request.POST, criteria=criteria, scores={}, mode="review")
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: kiểm tra các ô báo lỗi."))
        return _render_detail(request, assessment, status=400, review_form=form)
    try:
        services.assessment_review_save(
            assessment=assessment,
            version=form.cleaned_data["version"],
            entries=form.entries(),
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
    except StaleAssessment as exc:
        return _stale(request, assessment, exc)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã lưu điểm thẩm định."))
    return redirect("evaluations:detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_propose(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    _require_reviewer(request, assessment)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn xếp loại đề xuất."))
        return redirect("evaluations:detail", pk=assessment.pk)
    try:
        services.assessment_propose(
            assessment=assessment,
            version=form.cleaned_data["version"],
            rating=form.cleaned_data["rating"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except StaleAssessment as exc:
        return _stale(request, assessment, exc)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã đề xuất xếp loại; chờ Sở phê duyệt."))
    return redirect("evaluations:detail", pk=assessment.pk)


def _province_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    scoping.require_province_level(request.user)
    form = ReasonForm(request.POST) if action != "approve" else None
    version = request.POST.get("version", "")
    if not version.isdigit():
        messages.error(request, _("Trang đã cũ; vui lòng tải lại."))
        return redirect("evaluations:detail", pk=assessment.pk)
    if form is not None and not form.is_valid():
        messages.error(request, _("Cần ghi rõ lý do."))
        return redirect("evaluations:detail", pk=assessment.pk)
    try:
        if action == "approve":
            services.assessment_approve(assessment=assessment, version=int(version), by=request.user)
            messages.success(request, _("Đã phê duyệt xếp loại; đánh giá và số liệu năm của trung tâm đã khóa."))
        elif action == "return":
            services.assessment_return(
                assessment=assessment, version=int(version), reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, _("Đã trả lại cho trung tâm kèm lý do."))
        else:
            services.assessment_unlock(
                assessment=assessment, version=int(version), reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, _("Đã mở khóa; phiếu trở về trạng thái đề xuất."))
    except StaleAssessment as exc:
        return _stale(request, assessment, exc)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("evaluations:detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _province_action(request, pk, "approve")


@login_required
@require_POST
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _province_action(request, pk, "return")


@login_required
@require_POST
def assessment_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _province_action(request, pk, "unlock")


# --- Rubric and deadlines (province) --------------------------------------------------------------


@login_required
def rubric_list(request: HttpRequest) -> HttpResponse:
    """Rubric years; POST creates the next year as a copy of the latest."""
    scoping.require_province_level(request.user)
    if request.method == "POST":
        year = _year(request)
        try:
            services.rubric_create_for_year(year=year, by=request.user)
        except EvaluationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("evaluations:rubrics")
        messages.success(request, _("Đã tạo bộ tiêu chí năm %(year)s.") % {"year": year})
        return redirect("evaluations:rubric", year=year)
    rubrics = list(Rubric.objects.annotate(n_criteria=Count("criteria", distinct=True)).order_by("-year"))
    years = [r.year for r in rubrics]
    next_year = (max(years) + 1) if years else timezone.localdate().year
    return render(request, "evaluations/rubric_list.html", {"rubrics": rubrics, "next_year": next_year})


def _rubric_context(rubric: Rubric, **forms) -> dict:
    criteria = list(rubric.criteria.all())
    thresholds = {t.rating: t for t in rubric.thresholds.all()}
    cycle = EvaluationCycle.objects.filter(year=rubric.year).first()
    groups: dict[int, list[Criterion]] = {}
    for c in criteria:
        groups.setdefault(c.group, []).append(c)
    return {
        "rubric": rubric,
        "groups": [
            (g, groups[g][0].get_group_display(), groups[g], sum(c.max_points for c in groups[g]))
            for g in sorted(groups)
        ],
        "total": sum(c.max_points for c in criteria),
        "criterion_forms": {c.pk: CriterionForm(instance=c, prefix=f"c{c.pk}") for c in criteria},
        "new_form": forms.get("new_form") or CriterionForm(prefix="new"),
        "thresholds_form": forms.get("thresholds_form") or ThresholdsForm(thresholds=thresholds),
        "cycle_form": forms.get("cycle_form") or CycleForm(instance=cycle),
        "events": rubric.events.select_related("actor").order_by("-at")[:30],
    }


@login_required
def rubric_detail(request: HttpRequest, year: int) -> HttpResponse:
    scoping.require_province_level(request.user)
    rubric = get_object_or_404(Rubric, year=year)
    return render(request, "evaluations/rubric_detail.html", _rubric_context(rubric))


@login_required
@require_POST
def rubric_criterion_save(request: HttpRequest, year: int, criterion_id: int | None = None) -> HttpResponse:
    scoping.require_province_level(request.user)
    rubric = get_object_or_404(Rubric, year=year)
    criterion = get_object_or_404(Criterion, rubric=rubric, pk=criterion_id) if criterion_id else None
    prefix = f"c{criterion.pk}" if criterion else "new"
    form = CriterionForm(request.POST, instance=criterion, prefix=prefix)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu tiêu chí: kiểm tra các ô báo lỗi."))
        return render(request, "evaluations/rubric_detail.html", _rubric_context(rubric, new_form=form), status=400)
    try:
        services.rubric_criterion_save(
            rubric=rubric,
            criterion=Criterion.objects.get(pk=criterion.pk) if criterion else None,
            by=request.user,
            **form.cleaned_data,
        )
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã lưu tiêu chí."))
    return redirect("evaluations:rubric", year=year)


@login_required
@require_POST
def rubric_criterion_delete(request: HttpRequest, year: int, criterion_id: int) -> HttpResponse:
    scoping.require_province_level(request.user)
    criterion = get_object_or_404(Criterion, rubric__year=year, pk=criterion_id)
    try:
        services.rubric_criterion_delete(criterion=criterion, by=request.user)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã xóa tiêu chí."))
    return redirect("evaluations:rubric", year=year)


@login_required
@require_POST
def rubric_thresholds(request: HttpRequest, year: int) -> HttpResponse:
    scoping.require_province_level(request.user)
    rubric = get_object_or_404(Rubric, year=year)
    form = ThresholdsForm(request.POST, thresholds={})
    if not form.is_valid():
        messages.error(request, _("Chưa lưu ngưỡng: kiểm tra các ô báo lỗi."))
        return render(
            request, "evaluations/rubric_detail.html", _rubric_context(rubric, thresholds_form=form), status=400
        )
    try:
        services.rubric_thresholds_save(rubric=rubric, values=form.values(), by=request.user)
    except EvaluationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã lưu ngưỡng xếp loại."))
    return redirect("evaluations:rubric", year=year)


@login_required
@require_POST
def cycle_save(request: HttpRequest, year: int) -> HttpResponse:
    scoping.require_province_level(request.user)
    rubric = get_object_or_404(Rubric, year=year)
    form = CycleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu hạn: kiểm tra các ô báo lỗi."))
        return render(request, "evaluations/rubric_detail.html", _rubric_context(rubric, cycle_form=form), status=400)
    services.cycle_save(year=year, by=request.user, **form.cleaned_data)
    messages.success(request, _("Đã lưu các hạn của năm %(year)s.") % {"year": year})
    return redirect("evaluations:rubric", year=year)


# --- Reviewing offices (province) -----------------------------------------------------------------


@login_required
def assign_offices(request: HttpRequest) -> HttpResponse:
    """Select centres → a reviewing office. After the 2025 reform the province decides who reviews whom."""
    scoping.require_province_level(request.user)
    offices = scoping.visible_offices(request.user).order_by(by_name())
    centres = Centre.objects.visible_to(request.user).active().with_units().order_by("commune__code")
    filter_office = request.GET.get("don_vi", "")
    office_id = id_param(filter_office)  # a hand-typed 23-digit id is no office: every centre is shown
    shown = centres.filter(review_office_id=office_id) if office_id else centres
    if filter_office == "none":
        shown = centres.filter(review_office__isnull=True)
    form = AssignOfficeForm(request.POST or None, offices=offices, centres=centres)
    if request.method == "POST" and form.is_valid():
        count = centre_services.centres_assign_review_office(
            centres=form.cleaned_data["centres"], office=form.cleaned_data["office"], by=request.user
        )
        messages.success(
            request,
            _("Đã giao %(n)s trung tâm cho %(office)s.") % {"n": count, "office": form.cleaned_data["office"]},
        )
        return redirect(request.get_full_path())
    return render(
        request,
        "evaluations/assign_offices.html",
        {"form": form, "centres": shown, "offices": offices, "filter_office": filter_office},
    )


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """Attachments are personal and official documents: served only to those who see the centre."""
    attachment = scoping.get_scoped_or_404(
        request.user, Attachment.objects.all(), "assessment__centre", pk=attachment_id
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp đính kèm không còn trên máy chủ.")) from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name)
