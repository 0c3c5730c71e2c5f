"""The centre's figures by year written in Python (reports/templatetags/figure_rows.py) are the markup the
partial's loop wrote, character for character, in both languages (issue 18): the partial is rendered as it is now
and as it was before, with every kind of average (none for the year, zero, None, decimals) and rating."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from reports.dashboard import Figures

# templates/reports/partials/centre_years.html before its rows were written in Python.
OLD_YEARS = Template(
    '{% load i18n %}\n{% comment %}A centre\'s figures by year against its area\'s average per centre. Context: rows\n(reports.dashboard.CentreComparison.year_rows). Shared by reports/centre.html and the registry\'s centre page.{% endcomment %}\n  <div class="table-responsive">\n    <table class="table table-sm table-striped table-figures" data-testid="centre-table"><caption class="visually-hidden">{% translate "Số liệu theo năm so với bình quân" %}</caption>\n      <thead>\n        <tr><th scope="col" rowspan="2">{% translate "Năm" %}</th><th scope="colgroup" colspan="6">{% translate "Trung tâm" %}</th><th scope="colgroup" colspan="3">{% translate "Bình quân một trung tâm" %}</th><th scope="col" rowspan="2">{% translate "Xếp loại" %}</th></tr>\n        <tr><th scope="col">{% translate "Số lớp" %}</th><th scope="col">{% translate "Số buổi" %}</th><th scope="col">{% translate "Lượt người học" %}</th><th scope="col">{% translate "Lượt nữ" %}</th><th scope="col">{% translate "Lượt DTTS" %}</th><th scope="col">{% translate "So với bình quân" %}</th>\n          <th scope="col">{% translate "Số lớp" %}</th><th scope="col">{% translate "Số buổi" %}</th><th scope="col">{% translate "Lượt người học" %}</th></tr>\n      </thead>\n      <tbody>\n      {% for r in rows %}\n        <tr>\n          <th scope="row">{{ r.year }}</th>\n          <td>{{ r.own.classes|so }}</td><td>{{ r.own.sessions|so }}</td><td>{{ r.own.participations|so }}</td>\n          <td>{{ r.own.women|so }}</td><td>{{ r.own.minorities|so }}</td>\n          <td>{% if r.avg.participations %}{% widthratio r.own.participations r.avg.participations 100 %}%{% else %}–{% endif %}</td>\n          <td>{{ r.avg.classes|default_if_none:"–"|floatformat:"1g" }}</td><td>{{ r.avg.sessions|default_if_none:"–"|floatformat:"1g" }}</td><td>{{ r.avg.participations|default_if_none:"–"|floatformat:"0g" }}</td>\n          <td>{{ r.rating|default:"–" }}</td>\n        </tr>\n      {% empty %}\n        <tr><td colspan="11">{% translate "Chưa có số liệu trong những năm này." %}</td></tr>\n      {% endfor %}\n      </tbody>\n    </table>\n  </div>\n'
)


def _rows():
    return [
        {"year": 2021, "own": Figures(), "avg": {}, "rating": ""},
        {
            "year": 2022,
            "own": Figures(classes=3, sessions=1200, participations=15321, women=8000, minorities=1234),
            "avg": {"classes": Decimal("2.5"), "sessions": Decimal("1234.6"), "participations": Decimal("9876.5")},
            "rating": "Tốt & <b>",
        },
        {
            "year": 2023,
            "own": Figures(participations=7),
            "avg": {"classes": None, "sessions": None, "participations": None},
            "rating": "Khá",
        },
        {
            "year": 2024,
            "own": Figures(participations=5),
            "avg": {"classes": Decimal("0.0"), "sessions": Decimal("0.0"), "participations": Decimal("0.0")},
            "rating": "",
        },
        {
            "year": 2025,
            "own": Figures(participations=1),
            "avg": {"classes": Decimal("1.0"), "sessions": Decimal("3.3"), "participations": Decimal("0.5")},
            "rating": "",
        },
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("rows", [_rows(), []], ids=["years", "none"])
def test_the_years_rows_are_the_templates(language, rows):
    with translation.override(language):
        new = get_template("reports/partials/centre_years.html").render({"rows": rows})
        old = OLD_YEARS.render(Context({"rows": rows}))
    assert new == old
