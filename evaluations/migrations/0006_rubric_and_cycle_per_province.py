"""Rubrics and deadlines become a province's (issue 16.1), step 2 of 3: the data.

The data step gives every existing rubric and cycle the province of the deployment's centres. When the centres
lie in several provinces (a deployment that holds former provinces' history, like the demo's Thái Bình and
Hưng Yên cũ before 01/07/2025 and today's Hưng Yên), each province that existed in the rubric's year — and
each province whose centres were assessed with it — gets its own copy, with the criteria and thresholds, and
every assessment points to the copy of its centre's province (its points to the copy's criteria), so each
province keeps its own rubric from then on.
"""

import datetime

from django.db import migrations, models


def _year_provinces(Province, centre_province_ids, year):
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    existed = Province.objects.filter(
        pk__in=centre_province_ids, valid_from__lte=last
    ).filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=first))
    return set(existed.values_list("pk", flat=True))


def _centre_province_ids(Centre, Province):
    ids = sorted(set(Centre.objects.values_list("commune__province_id", flat=True)) - {None})
    if ids:
        return ids
    # No centre yet: the provinces nobody merged (today's), else any.
    return list(Province.objects.filter(merged_into__isnull=True).order_by("code").values_list("pk", flat=True)[:1]) or list(
        Province.objects.order_by("code").values_list("pk", flat=True)[:1]
    )


def per_province(apps, schema_editor):
    Rubric = apps.get_model("evaluations", "Rubric")
    Criterion = apps.get_model("evaluations", "Criterion")
    RatingThreshold = apps.get_model("evaluations", "RatingThreshold")
    Assessment = apps.get_model("evaluations", "Assessment")
    CriterionScore = apps.get_model("evaluations", "CriterionScore")
    Attachment = apps.get_model("evaluations", "Attachment")
    EvaluationCycle = apps.get_model("evaluations", "EvaluationCycle")
    Centre = apps.get_model("centres", "Centre")
    Province = apps.get_model("units", "Province")

    if not Rubric.objects.exists() and not EvaluationCycle.objects.exists():
        return
    provinces = _centre_province_ids(Centre, Province)
    if not provinces:
        raise RuntimeError(
            "evaluations 0005: rubrics or deadlines exist but no province does; import the units first "
            "(docs/units.md), then migrate."
        )

    copies = {}  # (original rubric pk, province pk) → rubric pk
    for rubric in list(Rubric.objects.order_by("year", "pk")):
        used = set(
            Assessment.objects.filter(rubric_id=rubric.pk).values_list("centre__commune__province_id", flat=True)
        ) - {None}
        targets = sorted((_year_provinces(Province, provinces, rubric.year) | used) or set(provinces))
        first, rest = targets[0], targets[1:]
        Rubric.objects.filter(pk=rubric.pk).update(province_id=first)
        copies[(rubric.pk, first)] = rubric.pk
        criteria = list(Criterion.objects.filter(rubric_id=rubric.pk))
        thresholds = list(RatingThreshold.objects.filter(rubric_id=rubric.pk))
        for province_id in rest:
            copy = Rubric.objects.create(
                province_id=province_id,
                year=rubric.year,
                title=rubric.title,
                total_points=rubric.total_points,
                is_starter=rubric.is_starter,
                frozen_at=rubric.frozen_at,
            )
            copies[(rubric.pk, province_id)] = copy.pk
            criterion_map = {}
            for c in criteria:
                new = Criterion.objects.create(
                    rubric_id=copy.pk,
                    group=c.group,
                    order=c.order,
                    title=c.title,
                    description=c.description,
                    max_points=c.max_points,
                )
                criterion_map[c.pk] = new.pk
            RatingThreshold.objects.bulk_create(
                RatingThreshold(
                    rubric_id=copy.pk,
                    rating=t.rating,
                    min_total=t.min_total,
                    min_group_1=t.min_group_1,
                    min_group_2=t.min_group_2,
                    min_group_3=t.min_group_3,
                    min_group_4=t.min_group_4,
                )
                for t in thresholds
            )
            moved = Assessment.objects.filter(rubric_id=rubric.pk, centre__commune__province_id=province_id)
            moved_ids = list(moved.values_list("pk", flat=True))
            if moved_ids:
                Assessment.objects.filter(pk__in=moved_ids).update(rubric_id=copy.pk)
                for old, new in criterion_map.items():
                    CriterionScore.objects.filter(assessment_id__in=moved_ids, criterion_id=old).update(criterion_id=new)
                    Attachment.objects.filter(assessment_id__in=moved_ids, criterion_id=old).update(criterion_id=new)
    # A copy was copied from the same province's copy of the source, where there is one.
    for rubric in Rubric.objects.filter(copied_from__isnull=False):
        source = copies.get((rubric.copied_from_id, rubric.province_id))
        if source and source != rubric.copied_from_id:
            Rubric.objects.filter(pk=rubric.pk).update(copied_from_id=source)

    for cycle in list(EvaluationCycle.objects.order_by("year", "pk")):
        targets = sorted(_year_provinces(Province, provinces, cycle.year) or set(provinces))
        EvaluationCycle.objects.filter(pk=cycle.pk).update(province_id=targets[0])
        EvaluationCycle.objects.bulk_create(
            EvaluationCycle(
                province_id=p,
                year=cycle.year,
                self_assessment_due=cycle.self_assessment_due,
                review_due=cycle.review_due,
                approval_due=cycle.approval_due,
            )
            for p in targets[1:]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0006_merge_versions_and_archive"),
        ("units", "0003_vietnamese_name_order"),
        ("evaluations", "0005_rubric_and_cycle_province_field"),
    ]

    operations = [migrations.RunPython(per_province, migrations.RunPython.noop)]
