"""No two live occupancies of one unit overlap: an exclusion constraint, on PostgreSQL only.

SQLite has no exclusion constraints; there the same rule is held by
OccupancyAgreement.objects.allocate (lock the unit, recheck, write).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE housing_occupancyagreement
  ADD CONSTRAINT housing_occupancy_no_overlap
  EXCLUDE USING gist (unit_id WITH =, daterange(start_date, end_date, '[)') WITH &&)
  WHERE (status <> 'cancelled');
"""
DROP = "ALTER TABLE housing_occupancyagreement DROP CONSTRAINT IF EXISTS housing_occupancy_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
