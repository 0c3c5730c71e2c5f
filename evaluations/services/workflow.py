"""Writes of one assessment's workflow: the centre's self-assessment and evidence, the reviewing office's
points and proposal, the province's approval, return and unlock. Every function validates, saves and records
history in one transaction.

Who may call what is decided by the views through accounts.scoping (staff fill, the reviewing office's
reviewer scores and proposes, the province approves, returns and unlocks). These functions enforce the
workflow itself: the status each step needs, points within each criterion's maximum, a reason where one is
required, the optimistic lock on `Assessment.version`, and the rubric freezing once a year's first
assessment is submitted (`rubric.rubric_freeze`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Assessment, AssessmentEvent, Attachment, Criterion, CriterionScore, Rating, Rubric
from evaluations.services.common import EvaluationError, PointsEntry, StaleAssessment
from evaluations.services.rubric import rating_for, rubric_freeze
from tthtcd_portal.numbers import format_points
from tthtcd_portal.uploads import upload_too_large

if TYPE_CHECKING:
    from accounts.models import User
    from centres.models import Centre

Status = Assessment.Status
ATTACHMENT_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx"}


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
    """Open the centre's self-assessment for a year against the rubric of its province for that year (a former
    province's centre: its former province's, docs/evaluations.md)."""
    with transaction.atomic():
        rubric = Rubric.objects.filter(province_id=centre.commune.province_id, year=year).first()
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
    """Points as stored in the history: "87.5" (evaluations.history shows them as "87,5")."""
    return None if value is None else format(Decimal(value).normalize(), "f")


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
        rubric_freeze(rubric=assessment.rubric, by=by, assessment_id=assessment.pk)
        return assessment


def assessment_attach(*, assessment: Assessment, uploaded, by: User, criterion: Criterion | None = None) -> Attachment:
    """A signed report or evidence (for the whole sheet, or for one criterion): pdf, jpg, png, docx or xlsx
    within MAX_UPLOAD_BYTES; not after lock."""
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
        if criterion is not None and criterion.rubric_id != locked.rubric_id:
            raise EvaluationError(_("Tiêu chí không thuộc bộ tiêu chí của phiếu này."))
        attachment = Attachment(
            assessment=locked,
            criterion=criterion,
            name=PurePath(uploaded.name).name[:255],
            size=uploaded.size,
            uploaded_by=by,
        )
        attachment.file.save(attachment.name, uploaded, save=False)
        attachment.save()
        changes = {"file": [None, attachment.name]}
        if criterion is not None:
            changes["criterion"] = [None, criterion.code]
        _record(locked, AssessmentEvent.Action.ATTACH, by, changes=changes)
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


def assessment_computed_rating(*, assessment: Assessment) -> str | None:
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
        computed = assessment_computed_rating(assessment=assessment)
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
