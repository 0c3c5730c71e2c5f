"""base.html's menu bar and footer, the same on every page of a user in a language but for the CSRF token and
the page's path: rendered once per process for each set of inputs and then only filled in
(tthtcd_portal/fragments.py; ~2.5 ms a page through the template engine, issue 18). The templates are
templates/partials/navbar.html and footer.html; what they show is exactly what is passed from here."""

from __future__ import annotations

from django import template

from tthtcd_portal.fragments import kept_fragment

register = template.Library()


def _csrf(context) -> str | None:
    """The token `{% csrf_token %}` would print (the context's, so both forms of a page carry the same one)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return None
    return str(token)


def _signed_in(context):
    user = context.get("user")
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def portal_navbar(context):
    user = _signed_in(context)
    inputs = {"authenticated": user is not None}
    if user is not None:
        unit = user.centre or user.office or user.province  # read with the user (accounts/backends.py)
        entries = context.get("nav_items") or ()
        inputs |= {
            # the menu bar's own entries, then those under its "Khác" dropdown (portal/navigation.py NAV_ITEMS)
            "nav_items": tuple(
                (str(item["label"]), item["url"], item["active"], item.get("count"))
                for item in entries
                if not item.get("more")
            ),
            "nav_more": tuple(
                (str(item["label"]), item["url"], item["active"]) for item in entries if item.get("more")
            ),
            "more_active": any(item["active"] for item in entries if item.get("more")),
            "display_name": user.display_name,
            "role": str(user.get_role_display()),
            "unit": str(unit) if unit is not None else "",
            "is_admin": bool(user.is_superuser or user.is_administrator),
        }
    return kept_fragment("partials/navbar.html", inputs, {"csrf_token": _csrf(context)})


@register.simple_tag(takes_context=True)
def portal_footer(context):
    user = _signed_in(context)
    request = context.get("request")
    per_request = {
        "csrf_token": _csrf(context),
        "next_path": request.get_full_path() if request is not None else "",
        "user_pk": str(user.pk) if user is not None else "",
    }
    return kept_fragment("partials/footer.html", {"authenticated": user is not None}, per_request)
