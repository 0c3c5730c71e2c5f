"""The select box written in Python is the template's markup, character for character (issue 18)."""

from django import forms
from django.forms.renderers import DjangoTemplates

from tthtcd_portal.form_renderer import PortalFormRenderer

CHOICES = [
    ("", "— Tất cả —"),
    (1, "Trung tâm <xã> \"Đông\" & 'Tây'"),
    ("Huyện cũ", [(2, "Xã A"), (3, "Xã B")]),
    (4, "Phường 4"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    styled = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-x": 'a"b', "disabled": True}),
    )


def test_the_python_select_is_the_templates_markup():
    for data in ({}, {"one": "1", "many": ["2", "4"], "styled": "3"}, {"one": "9"}):
        for name in ("one", "many", "styled"):
            expected = str(Sample(data or None, renderer=DjangoTemplates())[name])
            actual = str(Sample(data or None, renderer=PortalFormRenderer())[name])
            assert actual == expected, (name, data)
            assert "<option" in actual


def test_another_option_template_goes_through_the_templates():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    form_class = type("F", (forms.Form,), {"x": forms.ChoiceField(choices=CHOICES, widget=Fancy)})
    assert str(form_class(renderer=PortalFormRenderer())["x"]) == str(form_class(renderer=DjangoTemplates())["x"])


def test_the_centre_selects_read_with_values_list_show_the_same_options(world):
    from django.forms.models import ModelChoiceIterator

    from courses.filters import CourseFilter
    from courses.models import Course
    from reports import audit

    filters = CourseFilter({"trung_tam": str(world.centre_a.pk)}, queryset=Course.objects.none(), user=world.official)
    form, _ = audit.filter_form(world.official, {"trung_tam": str(world.centre_a.pk)})
    from tthtcd_portal.filtering import ValuesChoiceIterator

    for field in (filters.form["trung_tam"], form["trung_tam"]):
        # The widget renders the values_list options (its choices were handed over when the queryset was set).
        assert isinstance(field.field.widget.choices, ValuesChoiceIterator)
        fast = str(field)
        field.field.iterator = ModelChoiceIterator
        field.field.widget.choices = ModelChoiceIterator(field.field)
        assert fast == str(field) and f'value="{world.centre_a.pk}" selected' in fast
