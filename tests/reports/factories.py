"""Figures and assessments as the courses and evaluations apps would leave them."""

import datetime

import factory

from courses.models import CentreYearFigure, ProgrammeKind
from evaluations.models import Assessment
from tests.clock import this_year
from tests.factories import programme_kind


def kind(code: str = "khac") -> ProgrammeKind:
    return programme_kind(code)


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreYearFigure

    # Two years before the pinned one: a whole year, rated and approved.
    year = factory.LazyFunction(lambda: this_year() - 2)
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

    year = factory.LazyFunction(lambda: this_year() - 2)
    status = Assessment.Status.APPROVED
    rating = "tot"
    proposed_rating = factory.LazyAttribute(lambda o: o.rating)
