from django.conf import settings
from django.core.checks import Error, register

from background.schedule import problems


@register()
def check_periodic_tasks(app_configs=None, **kwargs):
    """A wrong PERIODIC_TASKS entry is an error at start-up, not a task that silently never runs."""
    return [
        Error(message, hint="See background/schedule.py and docs/architecture.md.", id="background.E001")
        for message in problems(getattr(settings, "PERIODIC_TASKS", []))
    ]
