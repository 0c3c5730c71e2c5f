"""Soft delete (issue 14 item 2): what a user deletes is archived, never destroyed, and can be restored.

A model that inherits `Archivable` gets `archived_at` / `archived_by`; its default manager (`objects`, also the
one reverse relations, forms and the admin use) hides archived rows, so every page, export and figure that read
them before reads only live rows without a change; `all_objects` sees every row (the archive page, restores).
Forward relations (`session.course`) use Django's base manager and still reach an archived parent, so the audit
trail and the attendance kept with an archived class still name it.

Objects archived together carry the same `archived_at` (a class and its sessions and enrolments): a restore of
the parent brings back exactly those, not a session that was deleted on its own before.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArchivableQuerySet(models.QuerySet):
    def live(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class LiveManager(models.Manager):
    """The default manager: live rows only."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


def live_manager(queryset_class: type[models.QuerySet] = ArchivableQuerySet) -> models.Manager:
    return LiveManager.from_queryset(queryset_class)()


def every_row_manager(queryset_class: type[models.QuerySet] = ArchivableQuerySet) -> models.Manager:
    return models.Manager.from_queryset(queryset_class)()


class Archivable(models.Model):
    archived_at = models.DateTimeField(_("xóa (lưu trữ) lúc"), null=True, blank=True, db_index=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xóa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = live_manager()
    all_objects = every_row_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


ARCHIVE_FIELDS = ("archived_at", "archived_by")
