"""One pager for every list: the page number is `trang` (docs/architecture.md, "Parameters"); the links keep the
page's other parameters with Django's {% querystring %} (templates/partials/pager.html)."""

from django.core.paginator import Page, Paginator

PAGE_PARAM = "trang"


def paginate(request, items, per_page: int) -> Page:
    """The page of `items` the request asks for (`?trang=`); a missing or bad number is the first page, one past
    the end the last."""
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAM))
