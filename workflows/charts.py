"""Process charts: viewflow's layout of the flow graph, drawn by our own SVG template (translated titles,
an accessible name, the house colours) with the status of the newest task of every node, so that a
stage entered again (pooling reopened) shows as the current one. A list of the steps with their status
goes with it, for screen readers and small screens."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from viewflow.workflow import chart

STATUS_LABELS = {
    "DONE": _("done"),
    "NEW": _("current"),
    "ASSIGNED": _("current"),
    "STARTED": _("current"),
    "CANCELED": _("cancelled"),
    "ERROR": _("error"),
}
CURRENT = {"NEW", "ASSIGNED", "STARTED"}


def _status_by_node(process) -> dict:
    latest = {}
    for task in process.task_set.order_by("created", "id"):
        latest[task.flow_task] = task.status
    return latest


def render_chart(flow_class, process=None, *, label: str = "") -> str:
    grid = chart.calc_layout_data(flow_class)
    statuses = _status_by_node(process) if process is not None else {}
    steps = []
    for cell in grid.cells:
        status = statuses.get(cell.node)
        cell.status = status
        if cell.node.task_type in ("HUMAN", "FUNCTION", "START", "END"):
            steps.append({"title": cell.node.task_title or cell.node.name, "status": status or "",
                          "label": STATUS_LABELS.get(status, ""), "current": status in CURRENT,
                          "x": cell.shape.x, "y": cell.shape.y})
    steps.sort(key=lambda s: (s["x"], s["y"]))
    svg = render_to_string("workflows/chart.svg", {"grid": grid, "cells": grid.cells, "edges": grid.edges})
    return render_to_string("workflows/_chart.html", {
        "svg": svg, "steps": steps, "label": label or flow_class.process_title,
        "process": process,
    })


def initiative_chart(process) -> str:
    from .flows import InitiativeFlow

    return render_chart(InitiativeFlow, process, label=_("Process chart of the initiative"))


def decision_chart(process) -> str:
    from .flows import ParticipationDecisionFlow

    return render_chart(ParticipationDecisionFlow, process, label=_("Process chart of the decision"))
