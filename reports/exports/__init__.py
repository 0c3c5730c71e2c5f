"""Every table the portal exports, declared once: code → Export (who may have it, how its table is built).

The modules hold the exports of one page each — the dashboards, the centres list, the classes and learners
lists, the evaluations, the audit trail — with their columns described once (header, kind, width, value).
A list's export reads the page's own filter (<app>/filters.py), so it holds exactly the rows the page shows
(tests/platform/test_list_exports_match_pages.py). A new export: add it to its page's module (or a new
module) and to this list; link it from the page with templates/reports/partials/export_button.html.
"""

from reports.exports import audit_trail, centres, classes, dashboard, evaluations, library, planning, training
from reports.exports.base import Export, TableSpec

EXPORTS: dict[str, Export] = {
    export.code: export
    for export in [
        *dashboard.EXPORTS,
        *centres.EXPORTS,
        *classes.EXPORTS,
        *evaluations.EXPORTS,
        *training.EXPORTS,
        *planning.EXPORTS,
        *library.EXPORTS,
        audit_trail.EXPORT,
    ]
}

__all__ = ["EXPORTS", "Export", "TableSpec"]
