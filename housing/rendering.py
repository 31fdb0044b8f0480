"""HTML built in Python for the parts of the housing pages that repeat per candidate or per line.

A committee proposal shows, for each candidate, a score breakdown and four decision fields: through templates
and crispy-forms that was thousands of template nodes and widget templates per page. The same markup is
written here once, with format_html (every value escaped), and kept accessible: labels tied to their field,
help text and errors tied with aria-describedby, aria-invalid on a field with an error.
"""

from django.forms import widgets
from django.forms.utils import flatatt
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def score_table(score, lines):
    """The points per criterion of an eligible score, with each line's value, source and total (scrolling in its
    own region on a phone)."""
    rows = format_html_join("", "{}", ((_score_line(line),) for line in lines))
    return format_html(
        '<div class="table-responsive" tabindex="0" role="region" aria-label="{}">'
        '<table class="table table-sm align-middle">'
        '<caption class="visually-hidden">{}</caption>'
        '<thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col" class="text-end">{}</th></tr></thead>'
        "<tbody>{}</tbody>"
        '<tfoot><tr><th scope="row" colspan="3">{}</th><td class="text-end fw-bold">{}</td></tr></tfoot>'
        "</table></div>",
        _("Points per criterion"),
        _("Points per criterion"),
        _("Criterion"),
        _("Value"),
        _("Source"),
        _("Points"),
        rows,
        _("Total"),
        floatformat(score.total, "-2"),
    )


def _score_line(line):
    criterion = line.criterion
    rule = _("%(points)s point(s) per unit") % {"points": localize(criterion.points)}
    if criterion.max_points is not None:
        rule += ", " + _("ceiling %(ceiling)s") % {"ceiling": localize(criterion.max_points)}
    source = line.get_source_display()
    if line.checked_by_id:
        source = format_html("{} ({})", source, line.checked_by.get_full_name())
    if line.note:
        source = format_html("{}<br><small>{}</small>", source, line.note)
    return format_html(
        '<tr><th scope="row" class="fw-normal">{}<br><small class="text-body-secondary">{}</small></th>'
        '<td>{}</td><td>{}</td><td class="text-end">{}</td></tr>',
        criterion.label,
        rule,
        line.value,
        source,
        floatformat(line.points, "-2"),
    )


def decision_fields(form, form_id):
    """A candidate's decision fields (outcome, rank, reason on one row, then the justification)."""
    return format_html(
        '<div class="row"><div class="col-md-4">{}</div><div class="col-md-2">{}</div>'
        '<div class="col-md-6">{}</div></div>{}',
        field(form["outcome"], form_id),
        field(form["rank"], form_id),
        field(form["reason"], form_id),
        field(form["justification"], form_id),
    )


def hidden_fields(form, form_id):
    """A form's fields as hidden inputs (a formset's management form) belonging to the <form> `form_id`."""
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}" id="{}" form="{}">',
        ((bound.html_name, "" if bound.value() is None else bound.value(), bound.auto_id, form_id) for bound in form),
    )


def field(bound, form_id):
    """One Bootstrap form group: label, control, errors and help text, with the ids Django gives them.

    The control belongs to the <form> whose id is `form_id` (it need not sit inside it)."""
    widget = bound.field.widget
    css = "form-select" if isinstance(widget, widgets.Select) else "form-control"
    if bound.errors:
        css += " is-invalid"
    attrs = bound.build_widget_attrs({**widget.attrs, "id": bound.auto_id, "class": css, "form": form_id})
    if bound.field.required:
        attrs["aria-required"] = "true"
    value = bound.value()
    if isinstance(widget, widgets.Select):
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) == chosen else "", label) for key, label in widget.choices),
        )
        control = format_html("<select{}>{}</select>", flatatt({"name": bound.html_name, **attrs}), options)
    elif isinstance(widget, widgets.Textarea):
        # The newline after the opening tag keeps a value's own leading newline (as Django's template does).
        text = "" if value is None else value
        control = format_html("<textarea{}>\n{}</textarea>", flatatt({"name": bound.html_name, **attrs}), text)
    else:
        shown = widget.format_value(value)
        attrs = {"type": widget.input_type, "name": bound.html_name, **({"value": shown} if shown else {}), **attrs}
        control = format_html("<input{}>", flatatt(attrs))
    required = mark_safe('<span class="asteriskField" aria-hidden="true">*</span>') if bound.field.required else ""
    errors = ""
    if bound.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            bound.auto_id,
            format_html_join(mark_safe("<br>"), "{}", ((error,) for error in bound.errors)),
        )
    help_text = ""
    if bound.help_text:
        help_text = format_html('<div id="{}_helptext" class="form-text">{}</div>', bound.auto_id, bound.help_text)
    return format_html(
        '<div class="mb-3"><label for="{}" class="form-label">{}{}</label>{}{}{}</div>',
        bound.auto_id,
        bound.label,
        required,
        control,
        errors,
        help_text,
    )
