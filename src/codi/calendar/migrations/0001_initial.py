# The Holiday model moves here from feedback without touching its rows: this migration only
# takes the model over in Django's state (its table is still feedback_holiday); 0002 renames
# the table and adds the source column.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("feedback", "0002_location_and_project"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Holiday",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                    ],
                    options={"ordering": ["date"], "db_table": "feedback_holiday"},
                ),
            ],
            database_operations=[],
        ),
    ]
