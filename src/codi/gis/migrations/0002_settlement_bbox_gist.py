"""A GiST index on each settlement's bounding box (PostgreSQL only).

The two B-tree indexes on (min_lon, max_lon) and (min_lat, max_lat) each select a wide band of
the country for a regional box (the Bangkok region's longitudes cross the whole country north to
south), so PostgreSQL walked the primary key for ``ORDER BY id LIMIT 1000`` and filtered most of
the table. A GiST index on ``box(point(min_lon, min_lat), point(max_lon, max_lat))`` answers the
overlap (``&&``) with the box itself; ``selectors.settlements_in_bbox`` adds that condition on
PostgreSQL. SQLite keeps the B-tree indexes.
"""

from django.db import migrations

BOX = "box(point(min_lon, min_lat), point(max_lon, max_lat))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS gis_settlement_box ON gis_settlement USING gist ({BOX})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS gis_settlement_box")


class Migration(migrations.Migration):
    dependencies = [("gis", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
