"""Writes of the annual evaluation, in two modules: `rubric` (a year's criteria, thresholds, deadlines and
its freeze) and `workflow` (one assessment from draft to approval). Callers import either module, or the
names below from here."""

from evaluations.services.common import EvaluationError, PointsEntry, StaleAssessment
from evaluations.services.rubric import (
    DEFAULT_CRITERIA,
    DEFAULT_THRESHOLDS,
    STARTER_TITLE,
    cycle_save,
    rating_for,
    rubric_create_default,
    rubric_create_for_year,
    rubric_criterion_delete,
    rubric_criterion_save,
    rubric_freeze,
    rubric_settings_save,
    rubric_thresholds_save,
)
from evaluations.services.workflow import (
    ATTACHMENT_SUFFIXES,
    assessment_approve,
    assessment_attach,
    assessment_computed_rating,
    assessment_propose,
    assessment_return,
    assessment_review_save,
    assessment_self_save,
    assessment_start,
    assessment_submit,
    assessment_unlock,
    assessments_approve_bulk,
)

__all__ = [
    "ATTACHMENT_SUFFIXES",
    "DEFAULT_CRITERIA",
    "DEFAULT_THRESHOLDS",
    "STARTER_TITLE",
    "EvaluationError",
    "PointsEntry",
    "StaleAssessment",
    "assessment_approve",
    "assessment_attach",
    "assessment_computed_rating",
    "assessment_propose",
    "assessment_return",
    "assessment_review_save",
    "assessment_self_save",
    "assessment_start",
    "assessment_submit",
    "assessment_unlock",
    "assessments_approve_bulk",
    "cycle_save",
    "rating_for",
    "rubric_create_default",
    "rubric_create_for_year",
    "rubric_criterion_delete",
    "rubric_criterion_save",
    "rubric_freeze",
    "rubric_settings_save",
    "rubric_thresholds_save",
]
