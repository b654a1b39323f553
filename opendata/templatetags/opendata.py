from django import template

from opendata.views import PANEL_TEMPLATE, panel_context

register = template.Library()


@register.inclusion_tag(PANEL_TEMPLATE, takes_context=True)
def calendar_feed_panel(context) -> dict:
    """``{% load opendata %}{% calendar_feed_panel %}``: the calendar address panel of the signed-in user."""
    return panel_context(context["request"])
