from django.db import models


class Version(models.Model):
    """The current version of some data that cached fragments show (core/versions.py)."""

    name = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=16)

    def __str__(self):
        return f"{self.name} {self.token}"
