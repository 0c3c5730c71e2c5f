"""One pager for every list: the page number is `trang` (docs/architecture.md, "Parameters"); the links keep the
page's other parameters with Django's {% querystring %} (templates/partials/pager.html)."""

from django.core.paginator import Page, Paginator

PAGE_PARAM = "trang"


class _CountedPaginator(Paginator):
    """A Paginator told how many items there are, for a list whose count is kept rather than counted."""

    def __init__(self, items, per_page: int, *, count: int) -> None:
        super().__init__(items, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


class IdsFirst:
    """A queryset paged by its ids first (issue 18): the page's ids picked in the queryset's order with only the
    columns it sorts and filters by, then the page's rows read in full, in one query (`pk IN (the page's ids,
    ORDER BY … LIMIT … OFFSET …)`, sorted again). The Ministry's list sorted 13,372 centres of ~70 columns each,
    with their commune, district, province and office, to keep 50. For a queryset whose rows are wide."""

    def __init__(self, queryset) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self.queryset[item]
        return self.queryset.filter(pk__in=self.queryset.values("pk")[item])


def paginate(request, items, per_page: int, *, count: int | None = None) -> Page:
    """The page of `items` the request asks for (`?trang=`); a missing or bad number is the first page, one past
    the end the last. `count`: the number of items when the caller knows it (no COUNT query then)."""
    paginator = Paginator(items, per_page) if count is None else _CountedPaginator(items, per_page, count=count)
    return paginator.get_page(request.GET.get(PAGE_PARAM))
