# feedback gives its Holiday model to codi.calendar; the table and its rows stay (state only).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_location_and_project"),
        ("calendar", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Holiday")],
            database_operations=[],
        ),
    ]
