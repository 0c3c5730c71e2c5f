"""One pager for every list: the page number is `trang` (docs/architecture.md, "Parameters"); the links keep the
page's other parameters with Django's {% querystring %} (templates/partials/pager.html)."""

from django.core.paginator import Page, Paginator

from tthtcd_portal.kept_sql import kept_count, kept_values

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


class KeptIdsFirst:
    """IdsFirst for a list whose SQL depends on `key` alone (tthtcd_portal.kept_sql): `build()` makes the queryset
    only when the key's count, or that page of it, was not seen before in this process; a page is its rows as
    tuples of `fields` (a values_list), not models. `key` holds every input `build` reads; `model` is the list's."""

    def __init__(self, build, *, key: tuple, fields: tuple[str, ...], model) -> None:
        self.build = build
        self.key = key
        self.fields = fields
        self.model = model

    def count(self) -> int:
        return kept_count(("count", self.key), self.build, model=self.model)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[tuple]:
        def page():
            return IdsFirst(self.build())[item].values_list(*self.fields)

        return kept_values(("page", self.key, self.fields, item.start, item.stop), page, model=self.model)


def paginate(request, items, per_page: int, *, count: int | None = None) -> Page:
    """The page of `items` the request asks for (`?trang=`); a missing or bad number is the first page, one past
    the end the last. `count`: the number of items when the caller knows it (no COUNT query then)."""
    paginator = Paginator(items, per_page) if count is None else _CountedPaginator(items, per_page, count=count)
    return paginator.get_page(request.GET.get(PAGE_PARAM))
