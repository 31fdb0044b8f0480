from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "telecentre.training"
    label = "training"
    verbose_name = _("Trainings")

    def ready(self):
        from telecentre.training.models import Session
        from telecentre.training.waitlists import SessionWaitlist
        from waitlist.registry import register

        register(Session, SessionWaitlist())
