# The holiday table takes the calendar's name (rows kept) and says where each day comes from.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calendar", "0001_initial"),
        ("feedback", "0003_holiday_to_calendar"),
    ]

    operations = [
        migrations.AlterModelTable(name="holiday", table=None),
        migrations.AddField(
            model_name="holiday",
            name="source",
            field=models.CharField(
                choices=[("public", "Thai public holiday"), ("codi", "CODI closure")],
                default="codi",
                max_length=10,
                verbose_name="source",
            ),
        ),
    ]
