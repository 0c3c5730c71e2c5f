"""The portal's number filters, built into every template (settings.TEMPLATES "builtins").

USE_THOUSAND_SEPARATOR is off: a bare `{{ x }}` prints an integer as it is, so years (2026), birth years,
codes, ids and phone numbers never read as quantities ("2.026"). A quantity says it is one: `{{ n|so }}`
prints 1.500.000 in Vietnamese and 1,500,000 in English; `{{ share|floatformat:"1g" }}` groups a decimal.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import NoReverseMatch
from django.utils.formats import number_format

from tthtcd_portal.fixed_urls import fixed_static, fixed_url

register = template.Library()


@register.filter(is_safe=True)
def so(value, decimals=None):
    """A quantity with the language's grouping: 1500000 → "1.500.000"; `|so:1` keeps one decimal
    (55.25 → "55,3"). Empty values and text pass through unchanged."""
    if value is None or value == "":
        return value
    if isinstance(value, bool):
        return value
    try:
        number = value if isinstance(value, int | float | Decimal) else Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return value
    if decimals is not None:
        number = Decimal(str(number)).quantize(Decimal(1).scaleb(-int(decimals)))
    elif isinstance(number, Decimal) and number == number.to_integral_value():
        number = int(number)
    return number_format(number, decimal_pos=None, use_l10n=True, force_grouping=True)


@register.filter(is_safe=True)
def plain(value):
    """A number as a machine reads it, for HTML attributes and inputs (`max`, `value` of a number field): never
    localized, trailing zeros dropped — Decimal("5.00") → "5", Decimal("2.50") → "2.5". Text (what a user typed
    into a bound form) and None come back as they are ("" for None)."""
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f")
    return value


@register.filter
def as_field(bound_field):
    """`|as_crispy_field`, the same markup, written in Python for a plain labelled input or select box
    (tthtcd_portal.form_renderer.crispy_field_html, issue 18); any other field goes through crispy."""
    from django.utils.safestring import mark_safe

    from tthtcd_portal.form_renderer import crispy_field_html

    html = crispy_field_html(bound_field)
    if html is None:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound_field)
    return mark_safe(html)


@register.simple_tag
def fixed_url_of(url_name):
    """`{% url 'name' %}` of a name without arguments, resolved once per process (base.html, issue 18)."""
    url = fixed_url(url_name)
    if url is None:
        raise NoReverseMatch(f"Reverse for '{url_name}' not found.")
    return url


@register.simple_tag
def fixed_static_of(path):
    """`{% static 'path' %}`, the hashed name looked up once per process (base.html, issue 18)."""
    return fixed_static(path)
