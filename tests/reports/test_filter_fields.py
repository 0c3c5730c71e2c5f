"""The dashboards' filter selects written in Python (reports/templatetags/report_fields.py) are the markup the
partial's loop wrote, character for character, in both languages, bound or not (issue 18)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from reports.filters import DashboardFilter
from reports.templatetags.report_fields import filter_selects
from tests.reports.factories import kind

# The loop as templates/reports/partials/filters.html had it before it was written in Python.
FIELD_LOOP = Template(
    "{% for field in form %}\n"
    '    <div class="col-6 col-md-4 col-lg-2">\n'
    '      <label class="form-label small mb-1" for="{{ field.id_for_label }}">{{ field.label }}</label>\n'
    '      <select name="{{ field.html_name }}" id="{{ field.id_for_label }}" class="form-select form-select-sm">\n'
    "        {% for value, label in field.field.choices %}\n"
    '        <option value="{{ value }}"{% if value|stringformat:"s" == field.value|stringformat:"s" %} selected'
    "{% endif %}>{{ label }}</option>\n"
    "        {% endfor %}\n"
    "      </select>\n"
    "    </div>\n"
    "    {% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("data", [None, {"tu_nam": "2022", "den_nam": "2024", "nam_goc": "2022"}])
def test_filter_selects_are_the_loops_markup(db, language, data):
    kinds = [kind("xoa-mu-chu"), kind("khac")]
    if data is not None:
        data = {**data, "loai": str(kinds[1].pk)}
    with translation.override(language):
        form = DashboardFilter(data, kinds=kinds)
        expected = FIELD_LOOP.render(Context({"form": form}))
        written = filter_selects(form)
    assert written == expected
    assert expected.count(" selected") >= 3
