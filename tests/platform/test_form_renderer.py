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

    from centres.filters import CentreFilter
    from centres.models import Centre
    from courses.filters import CourseFilter
    from courses.models import Course
    from reports import audit
    from tthtcd_portal.filtering import ValuesChoiceIterator

    filters = CourseFilter({"trung_tam": str(world.centre_a.pk)}, queryset=Course.objects.none(), user=world.official)
    form, _ = audit.filter_form(world.official, {"trung_tam": str(world.centre_a.pk)})
    centres = CentreFilter({"huyen": str(world.district_x.pk)}, queryset=Centre.objects.none(), user=world.official)
    for field, selected in (
        (filters.form["trung_tam"], world.centre_a.pk),
        (form["trung_tam"], world.centre_a.pk),
        (centres.form["huyen"], world.district_x.pk),
    ):
        assert isinstance(field.field.widget.choices, ValuesChoiceIterator)  # what the select is drawn from
        fast = str(field)
        field.field.iterator = ModelChoiceIterator
        field.field.widget.choices = field.field.choices
        assert fast == str(field) and f'value="{selected}" selected' in fast


def _crispy_and_fast(make_form, name):
    """Each through its own form: crispy adds its classes to the widget it renders."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from tthtcd_portal.template_filters import as_field

    return str(as_crispy_field(make_form()[name])), str(as_field(make_form()[name]))


class Plain(forms.Form):
    q = forms.CharField(label="Tìm <tên> & mã", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    name = forms.CharField(label="Họ và tên", max_length=10)
    year = forms.IntegerField(label="Năm sinh", required=False, widget=forms.NumberInput(attrs={"class": "w-50"}))
    day = forms.DateField(label="Ngày", required=False)
    kind = forms.ChoiceField(label="Loại", choices=CHOICES, required=False)
    note = forms.CharField(label="Ghi chú", required=False, help_text="Không bắt buộc")
    agree = forms.BooleanField(label="Đồng ý", required=False)
    text = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def test_the_python_crispy_field_is_crispys_markup():
    """`|as_field` writes what `|as_crispy_field` writes, for the fields it writes itself and for those it hands
    over (help text, errors, check boxes, text areas, hidden fields), bound and unbound."""
    for data in (None, {"q": 'a"b', "name": "Lan", "year": "1990", "kind": "4", "day": "2026-01-02"}, {"name": ""}):
        for name in Plain.base_fields:
            crispy, fast = _crispy_and_fast(lambda data=data: Plain(data), name)
            assert fast == crispy, (name, data)


def test_the_list_pages_filter_fields_are_crispys_markup(world):
    from centres.filters import CentreFilter
    from centres.models import Centre
    from courses.forms import LearnerForm

    def centre_filter(data):
        return CentreFilter(data, queryset=Centre.objects.all(), user=world.official).form

    makers = [
        lambda data=data: centre_filter(data)
        for data in (None, {"huyen": str(world.district_x.pk), "q": "Đông", "xep_loai": "none"}, {"thu_vien": "9"})
    ]
    makers += [LearnerForm, lambda: LearnerForm({"full_name": ""})]
    for make_form in makers:
        for name in make_form().fields:
            crispy, fast = _crispy_and_fast(make_form, name)
            assert fast == crispy, (make_form, name)
    from tthtcd_portal.form_renderer import crispy_field_html

    assert all(crispy_field_html(field) is not None for field in centre_filter(None))  # all written in Python
