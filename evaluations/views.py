"""Pages of the annual evaluation. Scope checks through accounts.scoping, writes through services."""

from __future__ import annotations

from decimal import Decimal

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
    RubricSettingsForm,
    ScoreSheetForm,
    ThresholdsForm,
)
from evaluations.models import RATING_ORDER, Assessment, Attachment, Criterion, CriterionGroup, Rubric
from resources.selectors import contributions_evidence
from tthtcd_portal.page_cache import snapshot_cached
from tthtcd_portal.params import id_param, int_param, year_param
from tthtcd_portal.refusal import refusal_shown
from tthtcd_portal.vietnamese import by_name
from units.models import Province

Status = Assessment.Status


def _year(request: HttpRequest, default: int | None = None) -> int:
    """?nam=2025, else the latest rubric year, else this year."""
    value = int_param(request.GET.get("nam") or request.POST.get("nam"), minimum=2000, maximum=2100)
    if value is not None:
        return value
    if default is not None:
        return default
    years = selectors.evaluation_years(user=request.user)
    return years[0] if years else timezone.localdate().year


# --- Home and overviews ---------------------------------------------------------------------------


@login_required
@snapshot_cached
def home(request: HttpRequest) -> HttpResponse:
    """Centre staff: their centre's years. Reviewer: their office's centres for a year. Province: by office."""
    user = request.user
    years = selectors.evaluation_years(user=request.user)
    if user.is_centre_staff:
        assessments, open_years = selectors.staff_assessments(user=user)
        can_start = scoping.can_edit_centre(user, user.centre)
        return render(
            request,
            "evaluations/home_staff.html",
            {"assessments": assessments, "open_years": open_years if can_start else [], "can_start": can_start},
        )
    year = _year(request)
    if user.is_reviewer:
        rows = selectors.office_overview(user=user, year=year)
        return render(
            request,
            "evaluations/overview.html",
            {"rows": rows, "year": year, "years": years, "office": user.office},
        )
    scoping.require_national_or_province_level(user)  # the Ministry reads every province's, read-only
    offices = selectors.province_overview(user=user, year=year)
    statuses = [(s.value, s.label) for s in Status]
    return render(
        request,
        "evaluations/home_province.html",
        {"offices": offices, "year": year, "years": years, "statuses": statuses},
    )


@login_required
@snapshot_cached
def office_overview(request: HttpRequest, office_id: int) -> HttpResponse:
    """The province's view of one reviewing office's centres, with the bulk approval (not for the Ministry,
    which reads it)."""
    scoping.require_national_or_province_level(request.user)
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
            "years": selectors.evaluation_years(user=request.user),
            "office": rows[0].centre.review_office,
            "proposed_count": proposed,
            "bulk": scoping.is_province_level(request.user),
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
    with refusal_shown(request):
        count = services.assessments_approve_bulk(assessments=assessments, by=request.user)
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
        {
            "cycle": cycle,
            "rows": rows,
            "year": year,
            "years": selectors.evaluation_years(user=request.user),
            "today": today,
        },
    )


@login_required
def distribution(request: HttpRequest) -> HttpResponse:
    """Approved ratings by district: counts, percentages adding to 100,0%, change on an earlier year."""
    scoping.require_reviewer_or_above(request.user)
    years = selectors.evaluation_years(user=request.user)
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
    with refusal_shown(request):
        assessment = services.assessment_start(centre=centre, year=year, by=request.user)
        return redirect("evaluations:detail", pk=assessment.pk)
    return redirect("evaluations:home")


def _permissions(user, assessment: Assessment) -> dict:
    centre = assessment.centre
    province = scoping.is_province_level(user)
    return {
        "can_self": scoping.can_edit_centre(user, centre) and assessment.self_editable,
        "can_review": scoping.can_review_centre(user, centre) and assessment.review_editable,
        "can_approve": province and assessment.status == Status.PROPOSED,
        "can_return": (province and assessment.status in (Status.SUBMITTED, Status.PROPOSED))
        or (scoping.can_review_centre(user, centre) and assessment.status == Status.SUBMITTED),
        "can_unlock": province and assessment.status == Status.APPROVED,
    }


def _read_only_reason(user, assessment: Assessment, perms: dict) -> str:
    """Why this user sees the sheet without its forms, said before they try ("" when they can act or the
    approved-and-locked notice says it)."""
    if perms["can_self"] or perms["can_review"] or assessment.is_locked:
        return ""
    centre = assessment.centre
    if not centre.is_active and (user.is_centre_staff or scoping.is_province_level(user)):
        return _("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem.")
    if user.is_centre_staff:
        if assessment.status == Status.SUBMITTED:
            return _("Đã nộp: trung tâm không sửa được nữa, trừ khi Sở trả lại. Đơn vị thẩm định đang chấm điểm.")
        if assessment.status == Status.PROPOSED:
            return _("Đơn vị thẩm định đã đề xuất xếp loại; chờ Sở phê duyệt.")
    if user.is_reviewer:
        if assessment.self_editable:
            return _("Trung tâm chưa nộp tự đánh giá; thẩm định khi trung tâm đã nộp.")
        if assessment.status == Status.PROPOSED:
            return _("Đã đề xuất xếp loại; chờ Sở phê duyệt. Nếu Sở trả lại, trung tâm sửa và nộp lại.")
    return ""


def _render_detail(request: HttpRequest, assessment: Assessment, status: int = 200, **forms) -> HttpResponse:
    perms = _permissions(request.user, assessment)
    sheet = selectors.assessment_sheet(assessment)
    criteria = [row.criterion for block in sheet for row in block.rows]
    scores = {row.criterion.pk: row.score for block in sheet for row in block.rows if row.score}
    thresholds = list(assessment.rubric.thresholds.all()) if perms["can_self"] or perms["can_review"] else []
    initial = {"version": assessment.version}
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "events": selectors.assessment_history(assessment),
        "attachments": list(assessment.attachments.select_related("uploaded_by", "criterion")),
        "computed_rating": services.assessment_computed_rating(assessment=assessment) if perms["can_review"] else None,
        "training_evidence": selectors.assessment_training_evidence(assessment),
        # Beside group 3 (Huy động sự tham gia của xã hội): the centre's contributions of the year, read-only.
        "resources_evidence": contributions_evidence(centre_id=assessment.centre_id, year=assessment.year),
        "resources_evidence_group": CriterionGroup.HUY_DONG,
        "read_only_reason": _read_only_reason(request.user, assessment, perms),
        **perms,
    }
    if perms["can_self"]:
        context["self_form"] = forms.get("self_form") or ScoreSheetForm(
            initial={**initial, "comment": assessment.self_comment},
            criteria=criteria,
            scores=scores,
            mode="self",
            thresholds=thresholds,
        )
        context["attach_form"] = forms.get("attach_form") or AttachmentForm(criteria=criteria)
    if perms["can_review"]:
        context["review_form"] = forms.get("review_form") or ScoreSheetForm(
            initial={**initial, "comment": assessment.review_comment},
            criteria=criteria,
            scores=scores,
            mode="review",
            thresholds=thresholds,
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


def _self_sheet(request: HttpRequest, assessment: Assessment) -> ScoreSheetForm:
    sheet = selectors.assessment_sheet(assessment)
    criteria = [row.criterion for block in sheet for row in block.rows]
    return ScoreSheetForm(
        request.POST, criteria=criteria, scores={}, mode="self", thresholds=assessment.rubric.thresholds.all()
    )


def _self_save(request: HttpRequest, assessment: Assessment, form: ScoreSheetForm) -> None:
    services.assessment_self_save(
        assessment=assessment,
        version=form.cleaned_data["version"],
        entries=form.entries(),
        comment=form.cleaned_data["comment"],
        by=request.user,
    )


@login_required
@require_POST
def assessment_self_save(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    scoping.require_centre_edit(request.user, assessment.centre)
    form = _self_sheet(request, assessment)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: kiểm tra các ô báo lỗi."))
        return _render_detail(request, assessment, status=400, self_form=form)
    submit = "submit" in request.POST
    with refusal_shown(request):
        _self_save(request, assessment, form)
        if submit:
            services.assessment_submit(assessment=assessment, version=assessment.version, by=request.user)
            messages.success(request, _("Đã nộp tự đánh giá; phiếu chuyển cho đơn vị thẩm định."))
        else:
            messages.success(request, _("Đã lưu tự đánh giá."))
    return redirect("evaluations:detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_attach(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    scoping.require_centre_edit(request.user, assessment.centre)
    if "version" in request.POST:
        # The upload button posts the score sheet too: what was typed is saved first, never lost.
        sheet = _self_sheet(request, assessment)
        if not sheet.is_valid():
            messages.error(request, _("Chưa đính kèm, chưa lưu: kiểm tra các ô báo lỗi rồi chọn lại tệp."))
            return _render_detail(request, assessment, status=400, self_form=sheet)
        saved = False
        with refusal_shown(request):
            _self_save(request, assessment, sheet)
            messages.success(request, _("Đã lưu điểm đang nhập."))
            saved = True
        if not saved:  # someone saved meanwhile, or the sheet is closed: the page says so, nothing attached
            return redirect("evaluations:detail", pk=assessment.pk)
    form = AttachmentForm(request.POST, request.FILES, criteria=list(assessment.rubric.criteria.all()))
    if not form.is_valid():
        messages.error(request, _("Chưa chọn tệp để đính kèm."))
        return redirect("evaluations:detail", pk=assessment.pk)
    with refusal_shown(request):
        services.assessment_attach(
            assessment=assessment,
            uploaded=form.cleaned_data["file"],
            criterion=form.chosen_criterion(),
            by=request.user,
        )
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
    with refusal_shown(request):
        services.assessment_review_save(
            assessment=assessment,
            version=form.cleaned_data["version"],
            entries=form.entries(),
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
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
    with refusal_shown(request):
        services.assessment_propose(
            assessment=assessment,
            version=form.cleaned_data["version"],
            rating=form.cleaned_data["rating"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("Đã đề xuất xếp loại; chờ Sở phê duyệt."))
    return redirect("evaluations:detail", pk=assessment.pk)


def _province_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, unlock (the province) and return (the province, or the reviewing office before it proposes)."""
    assessment = selectors.assessment_for_user(user=request.user, pk=pk)
    if action != "return" or not scoping.can_review_centre(request.user, assessment.centre):
        scoping.require_province_level(request.user)
    elif not scoping.is_province_level(request.user) and assessment.status != Status.SUBMITTED:
        raise PermissionDenied(_("Đơn vị thẩm định chỉ trả lại phiếu đã nộp, chưa đề xuất; sau đó Sở quyết định."))
    form = ReasonForm(request.POST) if action != "approve" else None
    version = int_param(request.POST.get("version"), minimum=0)
    if version is None:
        messages.error(request, _("Trang đã cũ; vui lòng tải lại."))
        return redirect("evaluations:detail", pk=assessment.pk)
    if form is not None and not form.is_valid():
        messages.error(request, _("Cần ghi rõ lý do."))
        return redirect("evaluations:detail", pk=assessment.pk)
    with refusal_shown(request):
        if action == "approve":
            services.assessment_approve(assessment=assessment, version=version, by=request.user)
            messages.success(request, _("Đã phê duyệt xếp loại; đánh giá và số liệu năm của trung tâm đã khóa."))
        elif action == "return":
            services.assessment_return(
                assessment=assessment, version=version, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, _("Đã trả lại cho trung tâm kèm lý do."))
        else:
            services.assessment_unlock(
                assessment=assessment, version=version, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, _("Đã mở khóa; phiếu trở về trạng thái đề xuất."))
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


def _editable_provinces(user):
    """The provinces whose rubric the user may create: their own (an official), every current one with centres
    (an administrator)."""
    if user.is_superuser or user.is_administrator:  # the current provinces that hold centres
        return (
            Province.objects.filter(merged_into__isnull=True, communes__centres__isnull=False)
            .distinct()
            .order_by("code")
        )
    return Province.objects.filter(pk=user.province_id) if user.is_province_official else Province.objects.none()


@login_required
def rubric_list(request: HttpRequest) -> HttpResponse:
    """The rubrics of the user's province by year (and, read-only, those of the provinces merged into it); POST
    creates the province's next year as a copy of its latest (`tinh` picks the province for administrators)."""
    user = request.user
    scoping.require_province_level(user)
    editable = _editable_provinces(user)
    if request.method == "POST":
        year = _year(request)
        province = editable.filter(pk=id_param(request.POST.get("tinh")) or user.province_id).first()
        if province is None:
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
        with refusal_shown(request):
            rubric = services.rubric_create_for_year(province=province, year=year, by=user)
            messages.success(request, _("Đã tạo bộ tiêu chí năm %(year)s.") % {"year": year})
            return redirect("evaluations:rubric", pk=rubric.pk)
        return redirect("evaluations:rubrics")
    rubrics = list(
        selectors.rubrics_for_user(user)
        .select_related("province")
        .annotate(n_criteria=Count("criteria", distinct=True))
        .order_by("province__merged_into_id", "province__code", "-year")
    )
    sections: dict[int, dict] = {}
    for province in editable:
        sections[province.pk] = {"province": province, "rubrics": [], "editable": True}
    for r in rubrics:
        section = sections.setdefault(
            r.province_id,
            {
                "province": r.province,
                "rubrics": [],
                "editable": scoping.can_edit_province_settings(user, r.province_id),
            },
        )
        section["rubrics"].append(r)
    this_year = timezone.localdate().year
    for section in sections.values():
        years = [r.year for r in section["rubrics"]]
        section["next_year"] = (max(years) + 1) if years else this_year
    ordered = sorted(sections.values(), key=lambda x: (not x["editable"], x["province"].code, x["province"].valid_from))
    return render(request, "evaluations/rubric_list.html", {"sections": ordered})


def _rubric_context(rubric: Rubric, user, **forms) -> dict:
    criteria = list(rubric.criteria.all())
    thresholds = {t.rating: t for t in rubric.thresholds.all()}
    cycle = selectors.evaluation_cycle(province_id=rubric.province_id, year=rubric.year)
    groups: dict[int, list[Criterion]] = {}
    for c in criteria:
        groups.setdefault(c.group, []).append(c)
    editable = scoping.can_edit_province_settings(user, rubric.province_id)
    return {
        "rubric": rubric,
        "can_edit": editable,
        "rubric_open": editable and not rubric.is_frozen,
        "groups": [
            (g, groups[g][0].get_group_display(), groups[g], sum(c.max_points for c in groups[g]))
            for g in sorted(groups)
        ],
        "total": sum(c.max_points for c in criteria),
        "criterion_forms": {
            c.pk: forms["criterion_form"]
            if forms.get("criterion_pk") == c.pk
            else CriterionForm(instance=c, prefix=f"c{c.pk}")
            for c in criteria
        },
        "criterion_open": forms.get("criterion_pk"),
        "new_form": forms.get("new_form") or CriterionForm(prefix="new"),
        "settings_form": forms.get("settings_form") or RubricSettingsForm(instance=rubric),
        "used_points": sum((c.max_points for c in criteria), Decimal(0)),
        "thresholds_form": forms.get("thresholds_form") or ThresholdsForm(thresholds=thresholds),
        "cycle": cycle,
        "cycle_form": forms.get("cycle_form") or CycleForm(instance=cycle),
        "events": rubric.events.select_related("actor").order_by("-at")[:30],
    }


def _rubric_to_change(request: HttpRequest, pk: int) -> Rubric:
    """The rubric of a write: 404 outside the user's provinces, 403 for a former province's (history)."""
    scoping.require_province_level(request.user)
    rubric = selectors.rubric_for_user(user=request.user, pk=pk)
    scoping.require_province_settings_edit(request.user, rubric.province_id)
    return rubric


def _rubric_page(request: HttpRequest, rubric: Rubric, status: int = 200, **forms) -> HttpResponse:
    return render(
        request, "evaluations/rubric_detail.html", _rubric_context(rubric, request.user, **forms), status=status
    )


@login_required
def rubric_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_province_level(request.user)
    return _rubric_page(request, selectors.rubric_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def rubric_criterion_save(request: HttpRequest, pk: int, criterion_id: int | None = None) -> HttpResponse:
    rubric = _rubric_to_change(request, pk)
    criterion = get_object_or_404(Criterion, rubric=rubric, pk=criterion_id) if criterion_id else None
    prefix = f"c{criterion.pk}" if criterion else "new"
    form = CriterionForm(
        request.POST, instance=Criterion.objects.get(pk=criterion.pk) if criterion else None, prefix=prefix
    )
    shown = {"criterion_pk": criterion.pk, "criterion_form": form} if criterion else {"new_form": form}
    if form.is_valid():
        with refusal_shown(request, form=None if rubric.is_frozen else form):  # a frozen rubric shows no form
            services.rubric_criterion_save(rubric=rubric, criterion=criterion, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu tiêu chí."))
            return redirect("evaluations:rubric", pk=rubric.pk)
    messages.error(request, _("Chưa lưu tiêu chí: xem lời nhắn ở tiêu chí."))
    return _rubric_page(request, rubric, status=400, **shown)


@login_required
@require_POST
def rubric_criterion_delete(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    rubric = _rubric_to_change(request, pk)
    criterion = get_object_or_404(Criterion, rubric=rubric, pk=criterion_id)
    with refusal_shown(request):
        services.rubric_criterion_delete(criterion=criterion, by=request.user)
        messages.success(request, _("Đã xóa tiêu chí."))
    return redirect("evaluations:rubric", pk=rubric.pk)


@login_required
@require_POST
def rubric_thresholds(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = _rubric_to_change(request, pk)
    form = ThresholdsForm(request.POST, thresholds={})
    if not form.is_valid():
        messages.error(request, _("Chưa lưu ngưỡng: kiểm tra các ô báo lỗi."))
        return _rubric_page(request, rubric, status=400, thresholds_form=form)
    with refusal_shown(request, form=form):
        services.rubric_thresholds_save(rubric=rubric, values=form.values(), by=request.user)
        messages.success(request, _("Đã lưu ngưỡng xếp loại."))
        return redirect("evaluations:rubric", pk=rubric.pk)
    messages.error(request, _("Chưa lưu ngưỡng: xem lời nhắn ở bảng ngưỡng."))
    return _rubric_page(request, rubric, status=400, thresholds_form=form)


@login_required
@require_POST
def rubric_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """The rubric's title and total points, until the year's first submission freezes it."""
    rubric = _rubric_to_change(request, pk)
    form = RubricSettingsForm(request.POST, instance=Rubric.objects.get(pk=rubric.pk))
    if form.is_valid():
        # A frozen rubric shows no settings form: its refusal is the page's message.
        with refusal_shown(request, form=None if rubric.is_frozen else form):
            services.rubric_settings_save(rubric=rubric, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu tên và tổng điểm của bộ tiêu chí."))
            return redirect("evaluations:rubric", pk=rubric.pk)
    messages.error(request, _("Chưa lưu: kiểm tra các ô báo lỗi."))
    return _rubric_page(request, rubric, status=400, settings_form=form)


@login_required
@require_POST
def cycle_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The deadlines of the rubric's province and year."""
    rubric = _rubric_to_change(request, pk)
    form = CycleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu hạn: kiểm tra các ô báo lỗi."))
        return _rubric_page(request, rubric, status=400, cycle_form=form)
    services.cycle_save(province=rubric.province, year=rubric.year, by=request.user, **form.cleaned_data)
    messages.success(request, _("Đã lưu các hạn của năm %(year)s.") % {"year": rubric.year})
    return redirect("evaluations:rubric", pk=rubric.pk)


# --- Reviewing offices (province) -----------------------------------------------------------------


@login_required
def assign_offices(request: HttpRequest) -> HttpResponse:
    """Select centres → a reviewing office. After the 2025 reform the province decides who reviews whom."""
    scoping.require_province_level(request.user)
    offices = scoping.visible_offices(request.user).order_by(by_name())
    centres = Centre.objects.visible_to(request.user).active().with_units().order_by("commune__code")
    filter_office = request.GET.get("don_vi", "")
    office_id = id_param(filter_office)
    shown = centres.filter(review_office_id=office_id) if office_id is not None else centres
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
