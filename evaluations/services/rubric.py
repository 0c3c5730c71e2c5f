"""Writes of a year's rubric: criteria, rating thresholds, deadlines, and the freeze at the first submission.
Every function validates, saves and records the rubric's history in one transaction; a frozen rubric refuses
every edit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import (
    RATING_ORDER,
    Criterion,
    CriterionGroup,
    EvaluationCycle,
    Rating,
    RatingThreshold,
    Rubric,
    RubricEvent,
)
from evaluations.services.common import EvaluationError
from tthtcd_portal.numbers import format_points

if TYPE_CHECKING:
    from accounts.models import User
    from units.models import Province

STARTER_TITLE = "Mẫu khởi đầu — cần Sở chỉnh sửa"


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


def _refuse_existing(province: Province, year: int) -> None:
    if Rubric.objects.filter(province=province, year=year).exists():
        raise EvaluationError(
            _("%(province)s đã có bộ tiêu chí năm %(year)s.") % {"province": province.name, "year": year}
        )


def rubric_create_default(*, province: Province, year: int, by: User | None = None) -> Rubric:
    """The shipped 100-point rubric of a province's year, marked as a starting point the Sở must edit."""
    with transaction.atomic():
        _refuse_existing(province, year)
        rubric = Rubric.objects.create(province=province, year=year, title=STARTER_TITLE, is_starter=True)
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


def rubric_create_for_year(*, province: Province, year: int, by: User | None) -> Rubric:
    """A province's new year starts as a copy of its latest earlier year's rubric; a province formed in the 2025
    reform, with none of its own yet, copies the latest of the provinces merged into it; the default when
    there is none."""
    with transaction.atomic():
        _refuse_existing(province, year)
        earlier = Rubric.objects.filter(year__lt=year).order_by("-year", "province__code")
        source = earlier.filter(province=province).first() or earlier.filter(province__merged_into=province).first()
        if source is None:
            return rubric_create_default(province=province, year=year, by=by)
        rubric = Rubric.objects.create(
            province=province,
            year=year,
            title=source.title,
            total_points=source.total_points,
            is_starter=source.is_starter,
            copied_from=source,
        )
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
        _record_rubric(rubric, RubricEvent.Action.CREATE, by, source=source.year, source_province=source.province_id)
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
        others = sum(
            (c.max_points for c in rubric.criteria.all() if criterion is None or c.pk != criterion.pk), Decimal(0)
        )
        if others + max_points > rubric.total_points:
            raise EvaluationError(
                _(
                    "Điểm tối đa: với %(points)s điểm, các tiêu chí cộng %(sum)s điểm, vượt tổng điểm của bộ tiêu chí"
                    " (%(total)s). Giảm điểm tối đa (còn được tối đa %(left)s), hoặc sửa tổng điểm của bộ tiêu chí."
                )
                % {
                    "points": format_points(max_points),
                    "sum": format_points(others + max_points),
                    "total": format_points(rubric.total_points),
                    "left": format_points(max(rubric.total_points - others, Decimal(0))),
                }
            )
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
        criteria = list(rubric.criteria.all())
        maximum = sum((c.max_points for c in criteria), Decimal(0))
        group_max = {
            g: sum((c.max_points for c in criteria if c.group == g), Decimal(0)) for g in CriterionGroup.values
        }
        errors = []
        for rating in RATING_ORDER:
            label = Rating(rating).label
            if values[rating]["min_total"] > maximum:
                errors.append(
                    _("%(rating)s — tổng điểm tối thiểu (%(min)s) vượt tổng điểm tối đa của các tiêu chí (%(max)s).")
                    % {
                        "rating": label,
                        "min": format_points(values[rating]["min_total"]),
                        "max": format_points(maximum),
                    }
                )
            for g in CriterionGroup.values:
                least = values[rating].get(f"min_group_{g}")
                if least is not None and least > group_max[g]:
                    errors.append(
                        _(
                            "%(rating)s — tối thiểu nhóm %(g)s “%(group)s” (%(min)s) vượt điểm tối đa của nhóm (%(max)s)."
                        )
                        % {
                            "rating": label,
                            "g": g,
                            "group": CriterionGroup(g).label,
                            "min": format_points(least),
                            "max": format_points(group_max[g]),
                        }
                    )
        if errors:
            raise EvaluationError(errors)
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


def rubric_settings_save(*, rubric: Rubric, title: str, total_points: Decimal, by: User) -> Rubric:
    """The rubric's title and the points its criteria add up to, until it freezes."""
    with transaction.atomic():
        rubric = _editable_rubric(rubric)
        title = title.strip()
        if not title:
            raise EvaluationError(_("Tên bộ tiêu chí: không được để trống."))
        if total_points <= 0:
            raise EvaluationError(_("Tổng điểm của bộ tiêu chí phải lớn hơn 0."))
        used = sum((c.max_points for c in rubric.criteria.all()), Decimal(0))
        if total_points < used:
            raise EvaluationError(
                _(
                    "Tổng điểm của bộ tiêu chí (%(total)s) nhỏ hơn điểm tối đa các tiêu chí đang cộng lại"
                    " (%(used)s). Giảm điểm các tiêu chí trước."
                )
                % {"total": format_points(total_points), "used": format_points(used)}
            )
        before = {"title": rubric.title, "total_points": str(rubric.total_points)}
        Rubric.objects.filter(pk=rubric.pk).update(title=title, total_points=total_points, is_starter=False)
        rubric.title, rubric.total_points, rubric.is_starter = title, total_points, False
        _record_rubric(
            rubric,
            RubricEvent.Action.SETTINGS,
            by,
            before=before,
            after={"title": title, "total_points": str(total_points)},
        )
        return rubric


# --- Deadlines -----------------------------------------------------------------------------------


def cycle_save(
    *,
    province: Province,
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
            province=province,
            year=year,
            defaults={
                "self_assessment_due": self_assessment_due,
                "review_due": review_due,
                "approval_due": approval_due,
            },
        )
        return cycle


def rubric_freeze(*, rubric: Rubric, by: User | None, assessment_id: int) -> bool:
    """Freeze the rubric at its year's first submission (once); True when this call froze it."""
    if Rubric.objects.filter(pk=rubric.pk, frozen_at__isnull=True).update(frozen_at=timezone.now()):
        _record_rubric(rubric, RubricEvent.Action.FREEZE, by, first_assessment=assessment_id)
        return True
    return False
