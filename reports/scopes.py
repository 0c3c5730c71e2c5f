"""Which centres a dashboard, its exports and its official reports cover for a user, and how its rows go:
one decision for the page, the export and the report (docs/reports.md, "The national dashboard").

- A Ministry official (Bộ GD&ĐT) without `tinh`: every province, a row per province (the national dashboard);
  with `tinh=<id>`: that province's dashboard (its former provinces' history included), by district and
  commune, as its own officials see it.
- Everyone else: their own scope (accounts.scoping.centre_q); `tinh` narrows it to one province they see
  (their own or one merged into it), another province is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import scoping
from reports import dashboard as engine
from reports.exports.base import scope_label
from tthtcd_portal.params import id_param


@dataclass(frozen=True)
class BoardScope:
    scope: Q  # on Centre
    unit: str  # in words, for the page's subtitle and an export's title rows
    national: bool  # rows by province
    province_level: bool  # rows by district and commune (a whole province), no predecessors added
    province: object | None = None  # the province picked with `tinh`

    @property
    def params(self) -> dict[str, str]:
        """What the page's links, filter form and export buttons carry along."""
        return {"tinh": str(self.province.pk)} if self.province is not None else {}

    def board(self, filters: engine.DashboardFilters, *, by_unit: bool = False) -> engine.Dashboard:
        """The dashboard of this scope (engine.dashboard: cached, three or four queries): by province nationally,
        by district and commune for a province, by centre for a reviewer's or staff's page — by unit for them too
        with `by_unit` (the official reports)."""
        if self.national:
            return engine.national_dashboard(filters=filters, scope=self.scope)
        return engine.dashboard(
            scope=self.scope,
            filters=filters,
            by_centre=not self.province_level and not by_unit,
            with_history=not self.province_level,
        )


def board_scope(user, params) -> BoardScope:
    """The scope of the dashboard `user` asked for with `params` (the page's GET, an export's params). One query
    when `tinh` is given (the province, among those the user sees), else none."""
    scope = scoping.centre_q(user)
    raw = params.get("tinh")
    if raw not in (None, ""):
        province = scoping.visible_provinces(user).filter(pk=id_param(raw) or 0).first()
        if province is None:
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
        return BoardScope(
            scope=scope & engine.province_scope(province.pk),
            unit=province.name,
            national=False,
            province_level=scoping.is_national_or_province_level(user),
            province=province,
        )
    if scoping.is_ministry(user):
        return BoardScope(scope=scope, unit=_("Toàn quốc"), national=True, province_level=True)
    return BoardScope(
        scope=scope, unit=scope_label(user), national=False, province_level=scoping.is_province_level(user)
    )
