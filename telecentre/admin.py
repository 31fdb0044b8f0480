"""The third-party apps' admin pages, with French column names (their own say "Task name", "User Agent"…)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

# Labels the third-party apps mark for translation without a French catalogue: their msgids, here, so that
# makemessages keeps their French in the site's catalogue (locale/).
THIRD_PARTY_LABELS = [
    _("Task Result"),
    _("Task Results"),
    _("enqueued at"),
    _("started at"),
    _("finished at"),
    _("priority"),
    _("queue name"),
    _("User Agent"),
    _("Attempt Remaining"),
    _("Locked Out"),
]


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ["id", "task", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name"]

    @admin.display(description=_("task"), ordering="task_path")
    def task(self, obj):
        return obj.task_name


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj):
        return super().status(obj)
