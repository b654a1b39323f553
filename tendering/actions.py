"""The tender's action table (``core.actions``): each transition declared once, for the API, the pages and the
schema. The award has a page of its own (a choice per lot), so it is no button on the tender's page."""

from django.utils.translation import gettext_lazy as _

from core.actions import Action, ActionTable
from procurement.forms import ReasonForm

from . import bodies, services
from .forms import ConcludeForm, OptionalReasonForm, PublishForm

TENDER = ActionTable("tender", (
    Action("publish", services.tender_publish, "Publish (draft → published); the publication reference is required",
           label=_("Publish the tender"),
           question=_("Publish now? Bids can then be entered until the bid deadline."),
           done=_("The tender is published."),
           body=bodies.TenderPublishSerializer, form=PublishForm),
    Action("close_bids", services.tender_close_bids, "Close the bids after the bid deadline",
           label=_("Close the bids"), question=_("Close the bids? No bid can be added afterwards."),
           done=_("The bids are closed.")),
    Action("evaluate", services.tender_evaluate, "Evaluate (bids_closed → evaluated): rank the regular bids of every lot",
           label=_("Evaluate"),
           question=_("Rank the regular bids of every lot? Regularity and scores can no longer change."),
           done=_("The bids are ranked.")),
    Action("award", services.tender_award,
           "Award every lot (or declare it unsuccessful); the standstill period starts at once",
           label=_("Award"), body=bodies.TenderAwardSerializer, button=False),
    Action("conclude", services.tender_conclude,
           "Conclude after the standstill; the contracts are created and the initiative becomes active",
           label=_("Conclude the contracts"),
           question=_("Conclude now? The contracts are created and the initiative becomes active."),
           done=_("The contracts are concluded."),
           body=bodies.TenderConcludeSerializer, form=ConcludeForm),
    Action("cancel", services.tender_cancel, "Cancel the tender (and the initiative), with a reason, before conclusion",
           label=_("Cancel the tender"), question=_("Cancel the tender and the initiative? This cannot be undone."),
           done=_("The tender is cancelled."),
           body=bodies.TenderReasonSerializer, form=ReasonForm, danger=True),
    Action("fail", services.tender_fail, "Declare the tender unsuccessful when no lot has a regular bid",
           label=_("Declare unsuccessful"),
           question=_("No lot has a regular bid. Declare the tender and the initiative unsuccessful?"),
           done=_("The tender is declared unsuccessful."),
           body=bodies.TenderReasonSerializer, form=OptionalReasonForm, danger=True),
))
