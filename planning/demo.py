"""Demo needs surveys and annual plans (seed_demo, after the classes): for every current centre, a survey of
each year since the 2025 reform and a plan whose lines follow what the centre actually did (the kept figures)
with plausible gaps — a kind planned a little over or under, a kind asked for but never opened, a plan still in
draft here and there. Bulk inserts: well under a second."""

from __future__ import annotations

import datetime

from django.utils import timezone

from centres.models import Centre
from courses.models import CentreYearFigure, ProgrammeKind
from planning.models import ActivityPlan, NeedGroup, NeedSurvey, NeedTally, PlanLine
from units.models import REFORM_DATE

# How often each group answers (farmers and women are most of the respondents in a rural commune).
GROUP_WEIGHTS = {
    NeedGroup.MINORITIES: 1,
    NeedGroup.WOMEN: 8,
    NeedGroup.FARMERS: 10,
    NeedGroup.WORKERS: 4,
    NeedGroup.YOUTH: 4,
    NeedGroup.ADULTS: 3,
    NeedGroup.ELDERLY: 3,
    NeedGroup.OTHER: 1,
}


def seed(*, rng, log) -> None:
    today = timezone.localdate()
    years = list(range(REFORM_DATE.year, today.year + 1))
    centres = list(Centre.objects.filter(status=Centre.Status.ACTIVE).order_by("id"))
    kinds = list(ProgrammeKind.objects.filter(is_active=True).order_by("order", "id"))
    if not centres or not kinds:
        log("  planning: no centres or programme kinds, no demo surveys or plans.")
        return
    figures: dict[tuple[int, int], dict[int, tuple[int, int]]] = {}
    for f in CentreYearFigure.objects.filter(centre__in=centres, year__in=years):
        per = figures.setdefault((f.centre_id, f.year), {})
        c, p = per.get(f.programme_kind_id, (0, 0))
        per[f.programme_kind_id] = (c + f.classes, p + f.participations)
    surveys = [NeedSurvey(centre=c, year=y) for c in centres for y in years]
    NeedSurvey.objects.bulk_create(surveys)
    plans = []
    for centre in centres:
        for year in years:
            draft = year == today.year and rng.random() < 0.12
            plans.append(
                ActivityPlan(
                    centre=centre,
                    year=year,
                    status=ActivityPlan.Status.DRAFT if draft else ActivityPlan.Status.APPROVED,
                    decision_number="" if draft else f"{rng.randint(5, 60)}/QĐ-UBND",
                    decision_date=None if draft else datetime.date(year, 1, rng.randint(8, 28)),
                    signer="" if draft else "Chủ tịch UBND xã",
                )
            )
    ActivityPlan.objects.bulk_create(plans)
    groups, weights = list(GROUP_WEIGHTS), list(GROUP_WEIGHTS.values())
    tallies, lines = [], []
    for survey, plan in zip(surveys, plans, strict=True):
        done = figures.get((survey.centre_id, survey.year), {})
        # The reform year's centres opened on 1 July: their plan covers the second half of the year.
        months = range(7, 13) if survey.year == REFORM_DATE.year else range(1, 13)
        unmet = rng.choice(kinds)  # asked for, not planned: the gap the province looks for
        for kind in kinds:
            classes, participations = done.get(kind.pk, (0, 0))
            asked = classes * rng.randint(6, 14) if classes else (rng.randint(15, 60) if kind == unmet else 0)
            if asked:
                picked = set(rng.choices(groups, weights=weights, k=4))
                shares = {group: rng.uniform(0.5, 1.5) * GROUP_WEIGHTS[group] for group in picked}
                whole = sum(shares.values())
                for group, part in shares.items():
                    respondents = max(1, round(asked * part / whole))
                    tallies.append(NeedTally(survey=survey, programme_kind=kind, group=group, respondents=respondents))
            if not classes:
                continue
            planned = max(1, round(classes * rng.uniform(0.8, 1.3)))
            per_class = participations / classes
            spread = rng.sample(list(months), k=min(len(months), rng.randint(1, 3), planned))
            for i, month in enumerate(sorted(spread)):
                count = planned // len(spread) + (1 if i < planned % len(spread) else 0)
                lines.append(
                    PlanLine(
                        plan=plan,
                        programme_kind=kind,
                        activity=PlanLine.Activity.TALK if kind.code == "phap-luat" else PlanLine.Activity.CLASS,
                        month=month,
                        count=count,
                        expected=round(count * per_class * rng.uniform(0.85, 1.2)),
                    )
                )
    NeedTally.objects.bulk_create(tallies, batch_size=2000)
    PlanLine.objects.bulk_create(lines, batch_size=2000)
    log(f"  planning: {len(surveys)} surveys ({len(tallies)} cells), {len(plans)} plans ({len(lines)} lines)")
