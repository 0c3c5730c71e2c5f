"""What both halves of the evaluation's writes share: the refusal types and a criterion's points as entered."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError


class EvaluationError(ValidationError):
    """A refused step, with the Vietnamese message the user sees."""


class StaleAssessment(EvaluationError):
    """Someone else saved the assessment since this user loaded it."""


@dataclass(frozen=True)
class PointsEntry:
    points: Decimal | None
    text: str = ""
