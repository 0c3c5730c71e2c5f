"""The five figures are named once (courses/figures.py): each of them reaches the yearly rows, the deltas, the
dashboards' sums and the data stamp, so a figure added there is counted everywhere."""

from django.db.models import F
from django.utils import timezone

from courses.figures import FIGURE_FIELDS, Counts, figure_sums
from courses.models import CentreYearFigure, ClassSession
from reports.dashboard import Figures, data_stamp
from tests.courses.factories import kind


def test_the_five_figures_are_the_columns_of_the_yearly_rows():
    assert FIGURE_FIELDS == ("classes", "sessions", "participations", "women", "minorities")
    assert all(CentreYearFigure._meta.get_field(name) for name in FIGURE_FIELDS)


def test_a_session_added_then_removed_leaves_no_change():
    session = ClassSession(present=40, women=25, minorities=3)
    delta = Counts(classes=1)
    delta.add_session(1, session)
    assert delta == Counts(classes=1, sessions=1, participations=40, women=25, minorities=3)
    delta.add_session(-1, session)
    assert delta.has_decrease() is False
    assert delta == Counts(classes=1)
    delta.classes -= 1
    assert delta.is_zero()


def test_every_figure_moves_the_data_stamp_and_the_dashboard_sums(world):
    year = timezone.localdate().year
    row = CentreYearFigure.objects.create(
        centre=world.centre_a, year=year, programme_kind=kind(), classes=1, sessions=2, participations=10
    )
    for name in FIGURE_FIELDS:
        before = data_stamp()
        # update() leaves updated_at alone: only the figure's own sum can move the stamp.
        CentreYearFigure.objects.filter(pk=row.pk).update(**{name: F(name) + 1})
        assert data_stamp() != before, name
    sums = CentreYearFigure.objects.filter(centre=world.centre_a).aggregate(**figure_sums())
    assert Figures.from_sums(sums, centres=1) == Figures(
        centres=1, classes=2, sessions=3, participations=11, women=1, minorities=1
    )
