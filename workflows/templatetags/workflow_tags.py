"""Template tags with which the procurement pages show workflow information (the aldermen's inbox on
the dashboard, an initiative's process chart, a participation's open task) without ``procurement``
importing ``workflows`` (DESIGN.md §8)."""

from django import template
from django.utils.translation import gettext_lazy as _

from workflows import charts, flows

register = template.Library()


@register.simple_tag
def decision_inbox(user) -> list[dict]:
    from workflows.views import inbox_rows

    return inbox_rows(user)


@register.simple_tag
def initiative_chart(initiative) -> str:
    """The chart of the initiative's flow; brings the process up to date first (it mirrors the state)."""
    process = flows.sync_initiative(initiative.pk)
    return charts.initiative_chart(process) if process is not None else ""


@register.simple_tag
def open_decision_task(participation):
    return flows.open_decision_task(participation.pk)


TASK_STATUS = {
    "NEW": _("open"),
    "ASSIGNED": _("assigned"),
    "STARTED": _("in progress"),
    "DONE": _("done"),
    "CANCELED": _("cancelled"),
    "ERROR": _("error"),
    "SCHEDULED": _("scheduled"),
    "REVIVED": _("revived"),
}


@register.filter
def task_status(status: str) -> str:
    """A viewflow task status in words (viewflow ships no Dutch)."""
    return str(TASK_STATUS.get(status, status))
