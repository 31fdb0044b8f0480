"""Minutes of a meeting, as HTML and as PDF (WeasyPrint).

``minutes_pdf(meeting)`` renders ``committees/minutes.html``; an app passes its own
template (extending that one, filling ``{% block item_extra %}``) and context.
"""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from committees.models import Attendance, ConflictOfInterest, Decision


def minutes_context(meeting):
    items = meeting.items.prefetch_related(
        Prefetch(
            "decisions",
            queryset=Decision.objects.current().prefetch_related("participants"),
            to_attr="current_decisions",
        ),
        Prefetch("conflicts", queryset=ConflictOfInterest.objects.select_related("membership")),
    )
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "attendances": Attendance.objects.filter(meeting=meeting).select_related("membership"),
        "items": items,
        "quorum_required": meeting.quorum_required(),
        "generated_at": timezone.now(),
    }


def minutes_html(meeting, template_name="committees/minutes.html", context=None):
    return render_to_string(template_name, {**minutes_context(meeting), **(context or {})})


def minutes_pdf(meeting, template_name="committees/minutes.html", context=None):
    from weasyprint import HTML

    return HTML(string=minutes_html(meeting, template_name, context)).write_pdf()
