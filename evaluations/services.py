"""Writes of the annual evaluation. Every function validates, saves and records history in one transaction.

Who may call what is decided by the views through accounts.scoping (staff fill, the reviewing office's
reviewer scores and proposes, the province approves, returns and unlocks). These functions enforce the
workflow itself: the status each step needs, points within each criterion's maximum, a reason where one is
required, the optimistic lock on `Assessment.version`, and the rubric freezing once a year's first
assessment is submitted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from evaluations.models import (
    RATING_ORDER,
    Assessment,
    AssessmentEvent,
    Attachment,
    Criterion,
    CriterionGroup,
    CriterionScore,
    EvaluationCycle,
    Rating,
    RatingThreshold,
    Rubric,
    RubricEvent,
)
from tthtcd_portal.uploads import upload_too_large

if TYPE_CHECKING:
    from accounts.models import User
    from centres.models import Centre

Status = Assessment.Status
ATTACHMENT_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx"}
STARTER_TITLE = "Mẫu khởi đầu — cần Sở chỉnh sửa"


class EvaluationError(ValidationError):
    """A refused step, with the Vietnamese message the user sees."""


class StaleAssessment(EvaluationError):
    """Someone else saved the assessment since this user loaded it."""


@dataclass(frozen=True)
class PointsEntry:
    points: Decimal | None
    text: str = ""


# --- Rubric --------------------------------------------------------------------------------------

# (group, title, description, max points): 100 points, a starting point for the Sở to edit.
DEFAULT_CRITERIA = [
    (1, "Quyết định thành lập, con dấu, tài khoản riêng", "Có quyết định thành lập; có con dấu và tài khoản riêng.", 5),
    (1, "Ban Giám đốc được kiện toàn, phân công rõ ràng", "Quyết định kiện toàn Ban Giám đốc; bảng phân công.", 5),
    (1, "Đội ngũ giáo viên, báo cáo viên, hướng dẫn viên, cộng tác viên", "Danh sách, trình độ, tập huấn.", 5),
    (1, "Quy chế hoạt động, kế hoạch năm, hồ sơ sổ sách", "Quy chế; kế hoạch năm được duyệt; sổ sách đầy đủ.", 5),
    (2, "Khảo sát nhu cầu học tập của người dân", "Phiếu khảo sát, tổng hợp nhu cầu.", 5),
    (2, "Xóa mù chữ và giáo dục tiếp tục sau khi biết chữ", "Lớp mở, người học hoàn thành.", 5),
    (2, "Chuyên đề, chuyển giao khoa học – kỹ thuật, khuyến nông", "Số lớp, chuyên đề; sổ theo dõi buổi học.", 10),
    (2, "Hoạt động văn hóa, thể thao, thư viện, đọc sách", "Tủ sách, lượt bạn đọc, hoạt động văn hóa.", 5),
    (2, "Cơ sở vật chất, trang thiết bị và sử dụng hiệu quả", "Phòng học, máy tính, thiết bị.", 5),
    (3, "Phối hợp với ban ngành, đoàn thể, Hội Khuyến học", "Kế hoạch, biên bản phối hợp.", 10),
    (3, "Huy động nguồn lực tài chính, cơ sở vật chất", "Kinh phí ngân sách và xã hội hóa.", 10),
    (4, "Lượt người học so với kế hoạch", "Lượt người học trong năm so với kế hoạch.", 10),
    (4, "Người học áp dụng kiến thức vào sản xuất, đời sống", "Báo cáo, ví dụ điển hình.", 10),
    (4, "Đóng góp xây dựng xã hội học tập", "Danh hiệu cộng đồng học tập, gia đình học tập.", 10),
]
# rating → (min total, {group: min points})
DEFAULT_THRESHOLDS = {
    Rating.TOT: (85, {4: 20}),
    Rating.KHA: (70, {}),
    Rating.TRUNG_BINH: (50, {}),
    Rating.YEU: (0, {}),
}


def _record_rubric(rubric: Rubric, action: str, by: User | None, **detail) -> None:
    RubricEvent.objects.create(rubric=rubric, actor=by, at=timezone.now(), action=action, detail=detail)


def rubric_create_default(*, year: int, by: User | None = None) -> Rubric:
    """The shipped 100-point rubric, marked as a starting point the Sở must edit."""
    with transaction.atomic():
        if Rubric.objects.filter(year=year).exists():
            raise EvaluationError(_("Năm %(year)s đã có bộ tiêu chí.") % {"year": year})
        rubric = Rubric.objects.create(year=year, title=STARTER_TITLE, is_starter=True)
        order: dict[int, int] = {}
        criteria = []
        for group, title, description, points in DEFAULT_CRITERIA:
            order[group] = order.get(group, 0) + 1
            criteria.append(
                Criterion(
                    rubric=rubric,
                    group=group,
                    order=order[group],
                    title=title,
                    description=description,
                    max_points=Decimal(points),
                )
            )
        Criterion.objects.bulk_create(criteria)
        RatingThreshold.objects.bulk_create(
            RatingThreshold(
                rubric=rubric,
                rating=rating,
                min_total=Decimal(total),
                **{f"min_group_{g}": Decimal(v) for g, v in groups.items()},
            )
            for rating, (total, groups) in DEFAULT_THRESHOLDS.items()
        )
        _record_rubric(rubric, RubricEvent.Action.CREATE, by, source="default")
        return rubric


def rubric_create_for_year(*, year: int, by: User | None) -> Rubric:
    """A new year starts as a copy of the latest earlier year's rubric (the default when there is none)."""
    with transaction.atomic():
        if Rubric.objects.filter(year=year).exists():
            raise EvaluationError(_("Năm %(year)s đã có bộ tiêu chí.") % {"year": year})
        source = Rubric.objects.filter(year__lt=year).order_by("-year").first()
        if source is None:
            return rubric_create_default(year=year, by=by)
        rubric = Rubric.objects.create(year=year, title=source.title, is_starter=source.is_starter, copied_from=source)
        Criterion.objects.bulk_create(
            Criterion(
                rubric=rubric,
                group=c.group,
                order=c.order,
                title=c.title,
                description=c.description,
                max_points=c.max_points,
            )
            for c in source.criteria.all()
        )
        RatingThreshold.objects.bulk_create(
            RatingThreshold(
                rubric=rubric,
                rating=t.rating,
                min_total=t.min_total,
                min_group_1=t.min_group_1,
                min_group_2=t.min_group_2,
                min_group_3=t.min_group_3,
                min_group_4=t.min_group_4,
            )
            for t in source.thresholds.all()
        )
        _record_rubric(rubric, RubricEvent.Action.CREATE, by, source=source.year)
        return rubric


def _editable_rubric(rubric: Rubric) -> Rubric:
    """Lock the rubric row so a first submission and an edit cannot cross; refuse a frozen rubric."""
    locked = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if locked.is_frozen:
        raise EvaluationError(
            _("Bộ tiêu chí năm %(year)s đã khóa vì đã có trung tâm nộp tự đánh giá; không sửa được.")
            % {"year": locked.year}
        )
    return locked


def rubric_criterion_save(
    *,
    rubric: Rubric,
    criterion: Criterion | None,
    group: int,
    title: str,
    description: str,
    max_points: Decimal,
    by: User,
) -> Criterion:
    """Add a criterion (criterion=None) or change one. Editing clears the starter mark."""
    with transaction.atomic():
        rubric = _editable_rubric(rubric)
        if max_points <= 0:
            raise EvaluationError(_("Điểm tối đa phải lớn hơn 0."))
        if criterion is None:
            last = rubric.criteria.filter(group=group).aggregate(m=Max("order"))["m"] or 0
            criterion = Criterion.objects.create(
                rubric=rubric, group=group, order=last + 1, title=title, description=description, max_points=max_points
            )
            _record_rubric(rubric, RubricEvent.Action.CRITERION_ADD, by, code=criterion.code, title=title)
        else:
            before = {"title": criterion.title, "max_points": str(criterion.max_points)}
            if criterion.group != group:
                last = rubric.criteria.filter(group=group).aggregate(m=Max("order"))["m"] or 0
                criterion.group, criterion.order = group, last + 1
            criterion.title, criterion.description, criterion.max_points = title, description, max_points
            criterion.save()
            _record_rubric(
                rubric,
                RubricEvent.Action.CRITERION_EDIT,
                by,
                code=criterion.code,
                before=before,
                after={"title": title, "max_points": str(max_points)},
            )
        Rubric.objects.filter(pk=rubric.pk).update(is_starter=False)
        return criterion


def rubric_criterion_delete(*, criterion: Criterion, by: User) -> None:
    with transaction.atomic():
        rubric = _editable_rubric(criterion.rubric)
        _record_rubric(rubric, RubricEvent.Action.CRITERION_DELETE, by, code=criterion.code, title=criterion.title)
        criterion.delete()
        Rubric.objects.filter(pk=rubric.pk).update(is_starter=False)


def rubric_thresholds_save(*, rubric: Rubric, values: Mapping[str, Mapping[str, Decimal | None]], by: User) -> None:
    """values: {rating: {"min_total": …, "min_group_1": … or None, …}}. Better ratings need more points."""
    with transaction.atomic():
        rubric = _editable_rubric(rubric)
        totals = [values[r]["min_total"] for r in RATING_ORDER]
        if any(better < worse for better, worse in zip(totals, totals[1:], strict=False)):
            raise EvaluationError(_("Ngưỡng phải giảm dần: Tốt ≥ Khá ≥ Trung bình ≥ Yếu."))
        maximum = sum(c.max_points for c in rubric.criteria.all())
        if totals[0] > maximum:
            raise EvaluationError(
                _("Ngưỡng Tốt (%(min)s) vượt tổng điểm tối đa của bộ tiêu chí (%(max)s).")
                % {"min": totals[0], "max": maximum}
            )
        for rating in RATING_ORDER:
            RatingThreshold.objects.update_or_create(rubric=rubric, rating=rating, defaults=dict(values[rating]))
        _record_rubric(
            rubric,
            RubricEvent.Action.THRESHOLDS,
            by,
            values={r: {k: (str(v) if v is not None else None) for k, v in values[r].items()} for r in RATING_ORDER},
        )
        Rubric.objects.filter(pk=rubric.pk).update(is_starter=False)


def rating_for(*, thresholds: Iterable[RatingThreshold], total: Decimal, group_totals: Mapping[int, Decimal]) -> str:
    """The best rating whose minimum total and group minimums the points reach; Yếu otherwise."""
    by_rating = {t.rating: t for t in thresholds}
    for rating in RATING_ORDER:
        threshold = by_rating.get(rating)
        if threshold is None or total < threshold.min_total:
            continue
        if all(
            threshold.group_minimum(g) is None or group_totals.get(g, Decimal(0)) >= threshold.group_minimum(g)
            for g in CriterionGroup.values
        ):
            return rating
    return Rating.YEU


# --- Deadlines --------------------------------------------------------------


def cycle_save(
    *,
    year: int,
    self_assessment_due: datetime.date,
    review_due: datetime.date,
    approval_due: datetime.date,
    by: User,
) -> EvaluationCycle:
    if not (self_assessment_due <= review_due <= approval_due):
        raise EvaluationError(_("Các hạn phải theo thứ tự: nộp tự đánh giá ≤ thẩm định ≤ phê duyệt."))
    with transaction.atomic():
        cycle, _created = EvaluationCycle.objects.update_or_create(
            year=year,
            defaults={
                "self_assessment_due": self_assessment_due,
                "review_due": review_due,
                "approval_due": approval_due,
            },
        )
        return cycle


# --- Assessment workflow --------------------------------------------------------------------------


def _record(
    assessment: Assessment,
    action: str,
    by: User | None,
    *,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    changes: dict | None = None,
) -> None:
    AssessmentEvent.objects.create(
        assessment=assessment,
        actor=by,
        at=timezone.now(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changes=changes or {},
    )


def _refuse_if_locked(assessment: Assessment) -> None:
    """An approved assessment (the province locked the year) refuses every write but the unlock, saying why,
    before any other check could give another reason."""
    if assessment.is_locked:
        raise EvaluationError(_("Đánh giá đã được phê duyệt và khóa; không sửa được."))


def _advance(assessment: Assessment, *, version: int, allowed: Iterable[str], **fields) -> None:
    """The optimistic lock: UPDATE … WHERE id = … AND version = n AND status IN (allowed).

    On PostgreSQL a concurrent writer waits for the row lock, then re-checks the version and finds it
    changed, so it updates nothing. Nothing is overwritten; the loser is told and reloads."""
    allowed = list(allowed)
    updated = Assessment.objects.filter(pk=assessment.pk, version=version, status__in=allowed).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if updated:
        assessment.refresh_from_db()
        return
    current = Assessment.objects.get(pk=assessment.pk)
    if current.version != version:
        raise StaleAssessment(
            _("Người khác vừa sửa phiếu đánh giá này. Trang đã tải lại bản mới nhất; thay đổi của bạn chưa được lưu.")
        )
    _refuse_if_locked(current)
    raise EvaluationError(
        _("Không thực hiện được: phiếu đang ở trạng thái “%(status)s”.") % {"status": current.get_status_display()}
    )


def assessment_start(*, centre: Centre, year: int, by: User | None) -> Assessment:
    """Open the centre's self-assessment for a year against that year's rubric."""
    with transaction.atomic():
        rubric = Rubric.objects.filter(year=year).first()
        if rubric is None:
            raise EvaluationError(_("Sở chưa ban hành bộ tiêu chí năm %(year)s.") % {"year": year})
        if not centre.is_active:
            raise EvaluationError(_("Trung tâm đã sáp nhập hoặc giải thể; không mở đánh giá mới."))
        assessment, created = Assessment.objects.get_or_create(centre=centre, year=year, defaults={"rubric": rubric})
        if created:
            _record(assessment, AssessmentEvent.Action.CREATE, by, to_status=Status.DRAFT)
        return assessment


def _clean_points(criteria: dict[int, Criterion], entries: Mapping[int, PointsEntry]) -> None:
    errors = []
    for criterion_id, entry in entries.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise EvaluationError(_("Tiêu chí không thuộc bộ tiêu chí của phiếu này."))
        if entry.points is not None and not (0 <= entry.points <= criterion.max_points):
            errors.append(
                _("Tiêu chí %(code)s: điểm phải từ 0 đến %(max)s.")
                % {"code": criterion.code, "max": format_points(criterion.max_points)}
            )
    if errors:
        raise EvaluationError(errors)


def _save_points(
    assessment: Assessment, entries: Mapping[int, PointsEntry], *, points_field: str, text_field: str
) -> tuple[Decimal | None, dict]:
    """Write the points and notes; return the new total (None when nothing is scored) and what changed."""
    criteria = {c.pk: c for c in assessment.rubric.criteria.all()}
    _clean_points(criteria, entries)
    existing = {s.criterion_id: s for s in assessment.scores.all()}
    changes: dict[str, list] = {}
    to_create, to_update = [], []
    for criterion_id, entry in entries.items():
        score = existing.get(criterion_id)
        if score is None:
            score = CriterionScore(assessment=assessment, criterion_id=criterion_id)
            to_create.append(score)
            existing[criterion_id] = score
        else:
            to_update.append(score)
        old = getattr(score, points_field)
        if old != entry.points:
            changes[criteria[criterion_id].code] = [_str(old), _str(entry.points)]
        setattr(score, points_field, entry.points)
        setattr(score, text_field, entry.text)
    CriterionScore.objects.bulk_create(to_create)
    CriterionScore.objects.bulk_update(to_update, [points_field, text_field])
    scored = [getattr(s, points_field) for s in existing.values() if getattr(s, points_field) is not None]
    return (sum(scored, Decimal(0)) if scored else None), changes


def _str(value) -> str | None:
    return None if value is None else format_points(value)


def format_points(value: Decimal) -> str:
    """5.00 → "5", 2.50 → "2,5" in Vietnamese: points as people write them."""
    return formats.localize(Decimal(value).normalize())


def assessment_self_save(
    *, assessment: Assessment, version: int, entries: Mapping[int, PointsEntry], comment: str, by: User
) -> Assessment:
    """The centre saves points and notes per criterion (draft or returned)."""
    with transaction.atomic():
        _advance(assessment, version=version, allowed=[Status.DRAFT, Status.RETURNED], self_comment=comment)
        old_total = assessment.self_score
        total, changes = _save_points(assessment, entries, points_field="self_points", text_field="self_note")
        Assessment.objects.filter(pk=assessment.pk).update(self_score=total)
        assessment.self_score = total
        if old_total != total:
            changes["self_score"] = [_str(old_total), _str(total)]
        _record(assessment, AssessmentEvent.Action.SELF_SAVE, by, changes=changes)
        return assessment


def _unscored(assessment: Assessment, points_field: str) -> list[str]:
    scored = {s.criterion_id for s in assessment.scores.all() if getattr(s, points_field) is not None}
    return [c.code for c in assessment.rubric.criteria.all() if c.pk not in scored]


def assessment_submit(*, assessment: Assessment, version: int, by: User) -> Assessment:
    """The centre submits; the year's rubric freezes with the first submission."""
    with transaction.atomic():
        _refuse_if_locked(assessment)
        missing = _unscored(assessment, "self_points")
        if missing:
            raise EvaluationError(
                _("Chưa chấm điểm các tiêu chí: %(codes)s. Chấm đủ rồi mới nộp.") % {"codes": ", ".join(missing)}
            )
        before = assessment.status
        _advance(
            assessment,
            version=version,
            allowed=[Status.DRAFT, Status.RETURNED],
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
            return_reason="",
        )
        _record(assessment, AssessmentEvent.Action.SUBMIT, by, from_status=before, to_status=Status.SUBMITTED)
        if Rubric.objects.filter(pk=assessment.rubric_id, frozen_at__isnull=True).update(frozen_at=timezone.now()):
            _record_rubric(assessment.rubric, RubricEvent.Action.FREEZE, by, first_assessment=assessment.pk)
        return assessment


def assessment_attach(*, assessment: Assessment, uploaded, by: User) -> Attachment:
    """A signed report or evidence: pdf, jpg, png, docx or xlsx within MAX_UPLOAD_BYTES; not after lock."""
    too_large = upload_too_large(uploaded)
    if too_large:
        raise EvaluationError(too_large)
    if PurePath(uploaded.name).suffix.lower() not in ATTACHMENT_SUFFIXES:
        raise EvaluationError(_("Chỉ nhận tệp PDF, ảnh JPG/PNG, Word (.docx) hoặc Excel (.xlsx)."))
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _refuse_if_locked(locked)
        if not locked.self_editable:
            raise EvaluationError(_("Chỉ đính kèm tệp khi phiếu đang tự đánh giá hoặc bị trả lại."))
        attachment = Attachment(
            assessment=locked, name=PurePath(uploaded.name).name[:255], size=uploaded.size, uploaded_by=by
        )
        attachment.file.save(attachment.name, uploaded, save=False)
        attachment.save()
        _record(locked, AssessmentEvent.Action.ATTACH, by, changes={"file": [None, attachment.name]})
        return attachment


def assessment_review_save(
    *, assessment: Assessment, version: int, entries: Mapping[int, PointsEntry], comment: str, by: User
) -> Assessment:
    """The reviewing office scores each criterion and comments (submitted)."""
    with transaction.atomic():
        _advance(assessment, version=version, allowed=[Status.SUBMITTED], review_comment=comment)
        old_total = assessment.review_score
        total, changes = _save_points(assessment, entries, points_field="review_points", text_field="review_comment")
        Assessment.objects.filter(pk=assessment.pk).update(review_score=total)
        assessment.review_score = total
        if old_total != total:
            changes["review_score"] = [_str(old_total), _str(total)]
        _record(assessment, AssessmentEvent.Action.REVIEW_SAVE, by, changes=changes)
        return assessment


def assessment_computed_rating(assessment: Assessment) -> str | None:
    """The rating the thresholds give for the review points; None until every criterion is scored."""
    scores = list(assessment.scores.all())
    criteria = list(assessment.rubric.criteria.all())
    points = {s.criterion_id: s.review_points for s in scores if s.review_points is not None}
    if len(points) < len(criteria):
        return None
    groups: dict[int, Decimal] = {}
    for c in criteria:
        groups[c.group] = groups.get(c.group, Decimal(0)) + points[c.pk]
    return rating_for(thresholds=assessment.rubric.thresholds.all(), total=sum(points.values()), group_totals=groups)


def assessment_propose(*, assessment: Assessment, version: int, rating: str, reason: str, by: User) -> Assessment:
    """Propose a rating; one other than the thresholds' needs a written reason."""
    with transaction.atomic():
        _refuse_if_locked(assessment)
        computed = assessment_computed_rating(assessment)
        if computed is None:
            missing = _unscored(assessment, "review_points")
            raise EvaluationError(
                _("Chưa chấm điểm thẩm định các tiêu chí: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        reason = reason.strip()
        if rating != computed and not reason:
            raise EvaluationError(
                _("Theo ngưỡng, điểm thẩm định cho xếp loại “%(computed)s”. Đề xuất “%(rating)s” cần ghi rõ lý do.")
                % {"computed": Rating(computed).label, "rating": Rating(rating).label}
            )
        _advance(
            assessment,
            version=version,
            allowed=[Status.SUBMITTED],
            status=Status.PROPOSED,
            proposed_rating=rating,
            rating_reason=reason if rating != computed else "",
            proposed_at=timezone.now(),
        )
        _record(
            assessment,
            AssessmentEvent.Action.PROPOSE,
            by,
            from_status=Status.SUBMITTED,
            to_status=Status.PROPOSED,
            reason=reason if rating != computed else "",
            changes={"proposed_rating": [computed, rating]},
        )
        return assessment


def assessment_approve(*, assessment: Assessment, version: int | None = None, by: User) -> Assessment:
    """The province approves the proposed rating: the assessment and the centre's year lock."""
    with transaction.atomic():
        _advance(
            assessment,
            version=assessment.version if version is None else version,
            allowed=[Status.PROPOSED],
            status=Status.APPROVED,
            rating=assessment.proposed_rating,
            approved_at=timezone.now(),
        )
        _record(
            assessment,
            AssessmentEvent.Action.APPROVE,
            by,
            from_status=Status.PROPOSED,
            to_status=Status.APPROVED,
            changes={"rating": [None, assessment.rating]},
        )
        return assessment


def assessments_approve_bulk(*, assessments: Iterable[Assessment], by: User) -> int:
    """Approve every proposed assessment given (one office's, one year's), all or nothing."""
    count = 0
    with transaction.atomic():
        for assessment in assessments:
            if assessment.status == Status.PROPOSED:
                assessment_approve(assessment=assessment, by=by)
                count += 1
    return count


def assessment_return(*, assessment: Assessment, version: int, reason: str, by: User) -> Assessment:
    """The province sends a proposed (or submitted) assessment back to the centre, with a reason."""
    reason = reason.strip()
    if not reason:
        raise EvaluationError(_("Trả lại cần ghi rõ lý do."))
    with transaction.atomic():
        before = assessment.status
        _advance(
            assessment,
            version=version,
            allowed=[Status.SUBMITTED, Status.PROPOSED],
            status=Status.RETURNED,
            return_reason=reason,
            proposed_rating="",
        )
        _record(
            assessment, AssessmentEvent.Action.RETURN, by, from_status=before, to_status=Status.RETURNED, reason=reason
        )
        return assessment


def assessment_unlock(*, assessment: Assessment, version: int, reason: str, by: User) -> Assessment:
    """The province reopens an approved rating (back to proposed, rating cleared), with a reason."""
    reason = reason.strip()
    if not reason:
        raise EvaluationError(_("Mở khóa cần ghi rõ lý do."))
    with transaction.atomic():
        old_rating = assessment.rating
        _advance(
            assessment, version=version, allowed=[Status.APPROVED], status=Status.PROPOSED, rating="", approved_at=None
        )
        _record(
            assessment,
            AssessmentEvent.Action.UNLOCK,
            by,
            from_status=Status.APPROVED,
            to_status=Status.PROPOSED,
            reason=reason,
            changes={"rating": [old_rating, None]},
        )
        return assessment
