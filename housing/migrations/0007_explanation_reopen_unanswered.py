"""Requests "marked answered" with no written answer were never answered: they go back to the staff's list."""

from django.db import migrations


def reopen(apps, schema_editor):
    ExplanationRequest = apps.get_model("housing", "ExplanationRequest")
    ExplanationRequest.objects.filter(answered_at__isnull=False, answer="").update(answered_at=None)
    ExplanationRequest.objects.filter(answered_at__isnull=False, answered_by__isnull=True).update(answered_at=None)


class Migration(migrations.Migration):
    dependencies = [("housing", "0006_explanation_answer")]

    operations = [migrations.RunPython(reopen, migrations.RunPython.noop)]
