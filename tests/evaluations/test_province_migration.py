"""Migrations evaluations 0005–0007 (issue 16.1): existing rubrics and deadlines get the province of the deployment's
centres; with centres in two provinces each keeps its own copy, and every assessment (its points too) points to
its centre's province's copy."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

EVALUATIONS_BEFORE = ("evaluations", "0004_rubric_total_points_and_vietnamese_refusals")
EVALUATIONS_AFTER = ("evaluations", "0007_rubric_and_cycle_unique_per_province_year")


def _with_other_apps_at_their_leaves(node: tuple[str, str]) -> list[tuple[str, str]]:
    """`node` and every other app's latest migration (those that do not depend on a later evaluations
    migration): the models read through the historical state must match the tables as they are (a later
    migration of another app — centres 0008 removed the library fields — would otherwise be missing from it)."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    later = {n for n in graph.nodes if n[0] == "evaluations" and n > node}
    leaves = [
        leaf for leaf in graph.leaf_nodes() if leaf[0] != "evaluations" and not (set(graph.forwards_plan(leaf)) & later)
    ]
    return [node, *leaves]


@pytest.mark.django_db(transaction=True)
def test_a_rubric_used_in_two_provinces_is_copied_for_each(world):
    from tests.factories import CentreFactory, CommuneFactory, DistrictFactory

    other_centre = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=world.other_province)))
    before = _with_other_apps_at_their_leaves(EVALUATIONS_BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Rubric, Criterion = apps.get_model("evaluations", "Rubric"), apps.get_model("evaluations", "Criterion")
    Threshold, Cycle = (
        apps.get_model("evaluations", "RatingThreshold"),
        apps.get_model("evaluations", "EvaluationCycle"),
    )
    Assessment, Score = apps.get_model("evaluations", "Assessment"), apps.get_model("evaluations", "CriterionScore")
    rubric = Rubric.objects.create(year=2024, title="Bộ 2024", frozen_at="2025-03-01T00:00:00Z")
    criterion = Criterion.objects.create(rubric=rubric, group=1, order=1, title="1.1", max_points=100)
    Threshold.objects.create(rubric=rubric, rating="tot", min_total=85)
    Cycle.objects.create(
        year=2024, self_assessment_due="2025-03-15", review_due="2025-04-10", approval_due="2025-05-15"
    )
    for centre in (world.centre_a, other_centre):
        a = Assessment.objects.create(centre_id=centre.pk, year=2024, rubric=rubric, status="draft")
        Score.objects.create(assessment=a, criterion=criterion, self_points=90)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    after = _with_other_apps_at_their_leaves(EVALUATIONS_AFTER)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    Rubric = apps.get_model("evaluations", "Rubric")
    Assessment = apps.get_model("evaluations", "Assessment")
    rubrics = {r.province_id: r for r in Rubric.objects.all()}
    assert set(rubrics) == {world.province.pk, world.other_province.pk}
    for r in rubrics.values():
        assert r.year == 2024 and r.title == "Bộ 2024" and r.frozen_at is not None
        assert list(r.criteria.values_list("title", flat=True)) == ["1.1"]
        assert list(r.thresholds.values_list("rating", flat=True)) == ["tot"]
    for a in Assessment.objects.all():
        province = apps.get_model("centres", "Centre").objects.get(pk=a.centre_id).commune.province_id
        assert a.rubric_id == rubrics[province].pk
        assert [s.criterion.rubric_id for s in a.scores.all()] == [a.rubric_id]
    cycles = apps.get_model("evaluations", "EvaluationCycle").objects.all()
    assert sorted(c.province_id for c in cycles) == sorted(rubrics)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
