"""Tasks the periodic runner's tests schedule (settings.PERIODIC_TASKS takes dotted paths)."""

from django_tasks import task

CALLS: list[str] = []


@task()
def record_daily() -> None:
    CALLS.append("daily")


@task()
def record_every() -> None:
    CALLS.append("every")


def not_a_task() -> None:
    """A plain function: the system check refuses it."""
