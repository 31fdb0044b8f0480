"""No two active whole-room bookings of one space overlap: an exclusion constraint on PostgreSQL.

SQLite has no exclusion constraints; there the same rule is held by the booking
path, which locks the space, rechecks and writes in one transaction.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE coworking_booking ADD CONSTRAINT coworking_booking_no_room_overlap
    EXCLUDE USING gist (space_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (whole_room AND status IN ('confirmed', 'checked_in'));
"""
DROP = "ALTER TABLE coworking_booking DROP CONSTRAINT IF EXISTS coworking_booking_no_room_overlap;"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("coworking", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion, elidable=False)]
