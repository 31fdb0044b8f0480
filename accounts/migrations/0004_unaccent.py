from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL's unaccent extension, for the accent-insensitive search of people (accounts/search.py); a
    trusted extension, so the database's owner may create it. Nothing happens on SQLite."""

    dependencies = [("accounts", "0003_user_data_version")]

    operations = [UnaccentExtension()]
