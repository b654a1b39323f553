"""The action tables of initiatives and participations (``core.actions``): each transition declared once.

The API's transition endpoints, the pages' buttons and confirmation pages and the OpenAPI schema are made from
these. ``start_tender``, ``award``, ``conclude`` and ``fail`` are not here: the tender's own actions
(``tendering.actions``) move the initiative along.
"""

from django.utils.translation import gettext_lazy as _

from core.actions import Action, ActionTable

from . import services
from .api.serializers import transitions as bodies
from .forms import AdoptForm, ReasonForm, ReopenPoolingForm, WithdrawForm

INITIATIVE = ActionTable("initiative", (
    Action("adopt", services.initiative_adopt,
           "Adopt an idea as lead organisation (idea → draft); only its procurement officers",
           label=_("Adopt the idea"),
           question=_("Adopt this idea as an initiative led by your organisation?"),
           done=_("The idea was adopted; it is now a draft initiative."),
           body=bodies.AdoptSerializer, form=AdoptForm),
    Action("shelve", services.initiative_shelve, "Shelve an idea, with a reason",
           label=_("Shelve the idea"),
           question=_("Shelve this idea? Give the reason; the people who showed interest can read it."),
           done=_("The idea was shelved."),
           body=bodies.ReasonSerializer, form=ReasonForm, danger=True),
    Action("open_pooling", services.initiative_open_pooling, "Open pooling (draft → pooling)",
           label=_("Open pooling"),
           question=_("Open demand pooling? The ICT staff of the circles' organisations are told and can join until "
                      "the demand deadline."),
           done=_("Pooling is open.")),
    Action("close_pooling", services.initiative_close_pooling, "Close pooling (pooling → deciding)",
           label=_("Close pooling"),
           question=_("Close demand pooling now? Nobody can join or change demand any more; the aldermen decide on "
                      "the submitted participations."),
           done=_("Pooling is closed.")),
    Action("reopen_pooling", services.initiative_reopen_pooling,
           "Reopen pooling (deciding → pooling), optionally with new deadlines",
           label=_("Reopen pooling"),
           question=_("Reopen demand pooling? Give a later demand deadline when the current one has passed."),
           done=_("Pooling is open again."),
           body=bodies.ReopenPoolingSerializer, form=ReopenPoolingForm),
    Action("confirm_participants", services.initiative_confirm_participants,
           "Confirm the participants (deciding → ready); undecided participations lapse",
           label=_("Confirm participants"),
           question=_("Confirm the participants? Undecided participations lapse, and the participants and maximum "
                      "quantities are frozen from now on."),
           done=_("The participants are confirmed.")),
    Action("cancel", services.initiative_cancel, "Cancel the initiative, with a reason",
           label=_("Cancel the initiative"),
           question=_("Cancel this initiative? This cannot be undone. Give the reason; it is shown to the "
                      "participants."),
           done=_("The initiative was cancelled."),
           body=bodies.ReasonSerializer, form=ReasonForm, danger=True),
    Action("close", services.initiative_close,
           "Close an active initiative once its contracts are done (active → closed)",
           label=_("Close the initiative"),
           question=_("Close this initiative? Do this once its contracts are done; it stays readable."),
           done=_("The initiative is closed.")),
))

# The participation's own pages do these: the demand page submits (with the demand) and reopens, the decision
# page approves and declines; withdrawing has a confirmation page of its own.
PARTICIPATION = ActionTable("participation", (
    Action("submit", services.participation_submit, "Submit the demand for approval",
           label=_("Submit for approval"), button=False),
    Action("reopen", services.participation_reopen, "Reopen a submitted participation to change it",
           label=_("Reopen to change the demand"),
           done=_("The participation is a draft again; change the demand and submit it again.")),
    Action("approve", services.participation_approve,
           "Record the deciding body's approval; only the organisation's aldermen",
           label=_("Approve"), body=bodies.ApproveSerializer, button=False),
    Action("decline", services.participation_decline,
           "Record the deciding body's refusal, with a reason; only the organisation's aldermen",
           label=_("Decline"), body=bodies.DeclineSerializer, button=False),
    Action("withdraw", services.participation_withdraw, "Withdraw from the initiative (before it is ready for tender)",
           label=_("Withdraw from this initiative"),
           question=_("Withdraw your organisation from this initiative? Its demand no longer counts."),
           body=bodies.WithdrawSerializer, form=WithdrawForm, danger=True),
))
