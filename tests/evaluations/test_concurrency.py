"""Two people saving the same assessment at once: the second is refused, nothing is overwritten."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from evaluations import services
from evaluations.models import Assessment, AssessmentEvent
from evaluations.services import PointsEntry, StaleAssessment
from tests.conftest import is_postgres
from tests.evaluations import factories


@pytest.mark.postgres
def test_two_connections_saving_at_once_on_postgresql(transactional_db, world):
    if not is_postgres():
        pytest.skip("needs PostgreSQL: SQLite allows one writer at a time, so the two saves cannot overlap")
    factories.rubric()
    draft = services.assessment_start(centre=world.centre_a, year=2025, by=world.staff_a)
    criterion = draft.rubric.criteria.first()
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save(name: str, points: int) -> None:
        try:
            barrier.wait(timeout=5)
            with transaction.atomic():
                loaded = Assessment.objects.get(pk=draft.pk)  # both loaded version 1
                services.assessment_self_save(
                    assessment=loaded,
                    version=1,
                    entries={criterion.pk: PointsEntry(Decimal(points), name)},
                    comment=name,
                    by=world.staff_a,
                )
                time.sleep(0.5)  # hold the row lock: the other connection's UPDATE waits on it
            outcome[name] = "saved"
        except StaleAssessment as exc:
            outcome[name] = str(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name, pts)) for name, pts in (("An", 4), ("Bình", 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)

    assert sorted(v == "saved" for v in outcome.values()) == [False, True]
    winner = next(k for k, v in outcome.items() if v == "saved")
    loser = next(k for k, v in outcome.items() if v != "saved")
    assert outcome[loser].startswith("Người khác vừa sửa")
    draft.refresh_from_db()
    score = draft.scores.get()
    assert (draft.version, draft.self_comment, score.self_note) == (2, winner, winner)
    assert AssessmentEvent.objects.filter(assessment=draft, action="self_save").count() == 1
