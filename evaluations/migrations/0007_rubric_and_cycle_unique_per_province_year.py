"""Rubrics and deadlines become a province's (issue 16.1), step 3 of 3: `province` required, one rubric and one
cycle per (province, year). Apart from 0006 so that PostgreSQL alters the tables outside the data step's
transaction (no pending trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0006_rubric_and_cycle_per_province")]

    operations = [
        migrations.AlterField(
            model_name="rubric",
            name="province",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rubrics",
                to="units.province",
                verbose_name="tỉnh",
            ),
        ),
        migrations.AlterField(
            model_name="evaluationcycle",
            name="province",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evaluation_cycles",
                to="units.province",
                verbose_name="tỉnh",
            ),
        ),
        migrations.AlterModelOptions(
            name="rubric",
            options={
                "ordering": ["-year", "province"],
                "verbose_name": "bộ tiêu chí đánh giá",
                "verbose_name_plural": "bộ tiêu chí đánh giá",
            },
        ),
        migrations.AlterModelOptions(
            name="evaluationcycle",
            options={"ordering": ["-year", "province"], "verbose_name": "kỳ đánh giá", "verbose_name_plural": "kỳ đánh giá"},
        ),
        migrations.AddConstraint(
            model_name="rubric",
            constraint=models.UniqueConstraint(
                fields=("province", "year"),
                name="rubric_one_per_province_year",
                violation_error_message="Tỉnh đã có bộ tiêu chí của năm này.",
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluationcycle",
            constraint=models.UniqueConstraint(
                fields=("province", "year"),
                name="cycle_one_per_province_year",
                violation_error_message="Tỉnh đã có các hạn của năm này.",
            ),
        ),
    ]
