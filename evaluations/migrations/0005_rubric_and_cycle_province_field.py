"""Rubrics and deadlines become a province's (issue 16.1), step 1 of 3: `province` added, nullable; `year` no
longer unique on its own. 0006 fills `province`, 0007 makes it required with unique (province, year)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0006_merge_versions_and_archive"),
        ("units", "0003_vietnamese_name_order"),
        ("evaluations", "0004_rubric_total_points_and_vietnamese_refusals"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rubric",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="năm"),
        ),
        migrations.AlterField(
            model_name="evaluationcycle",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="năm"),
        ),
        migrations.AddField(
            model_name="rubric",
            name="province",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rubrics",
                to="units.province",
                verbose_name="tỉnh",
            ),
        ),
        migrations.AddField(
            model_name="evaluationcycle",
            name="province",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evaluation_cycles",
                to="units.province",
                verbose_name="tỉnh",
            ),
        ),
    ]
