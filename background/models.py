"""What the periodic runner has enqueued: one row per task and slot, so that no slot runs twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """A periodic task enqueued for one slot (background/schedule.py). The unique constraint is what keeps two
    runners, or a runner restarted within the slot, from enqueueing it again."""

    task = models.CharField(_("công việc"), max_length=200)
    slot = models.DateTimeField(_("đến hạn lúc"))
    enqueued_at = models.DateTimeField(_("đưa vào hàng đợi lúc"), auto_now_add=True)
    result_id = models.CharField(_("mã kết quả"), max_length=64, blank=True)

    class Meta:
        ordering = ["-slot", "task"]
        verbose_name = _("lần chạy định kỳ")
        verbose_name_plural = _("lần chạy định kỳ")
        constraints = [models.UniqueConstraint(fields=["task", "slot"], name="periodic_run_once_per_slot")]
        indexes = [models.Index(fields=["slot"], name="periodic_run_slot_idx")]

    def __str__(self) -> str:
        return f"{self.task} @ {self.slot:%Y-%m-%d %H:%M}"
