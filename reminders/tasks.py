"""The daily digest, run by the worker when `manage.py run_periodic` enqueues it (settings.PERIODIC_TASKS)."""

from django.utils import timezone
from django_tasks import task

from reminders.services import digests_send


@task()
def send_daily_digests() -> int:
    return digests_send(today=timezone.localdate())
