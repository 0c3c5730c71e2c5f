"""Figures and assessments as the courses and evaluations apps would leave them."""

import datetime
import importlib

import factory

from courses.models import CentreYearFigure, ProgrammeKind
from evaluations.models import Assessment

# The kinds the courses data migration loads; a transactional (browser) test flushes them, so recreate.
KINDS = dict(importlib.import_module("courses.migrations.0002_load_programme_kinds").KINDS)


def kind(code: str = "khac") -> ProgrammeKind:
    """A programme kind of the courses data migration, recreated with its real name if it was flushed."""
    order = list(KINDS).index(code) + 1
    found, _created = ProgrammeKind.objects.get_or_create(code=code, defaults={"name": KINDS[code], "order": order})
    return found


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreYearFigure

    year = 2024
    programme_kind = factory.LazyFunction(kind)
    classes = 10
    sessions = 40
    participations = 1000
    women = 600
    minorities = 30
    last_session_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 1))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    year = 2024
    status = Assessment.Status.APPROVED
    rating = "tot"
    proposed_rating = factory.LazyAttribute(lambda o: o.rating)
