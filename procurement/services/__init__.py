"""Every state change of the procurement domain (DESIGN.md §4). Import from here."""

from core.services import available

from .bids import bid_assess, bid_submit, supplier_register
from .initiatives import (
    TRANSITIONS as INITIATIVE_TRANSITIONS,
)
from .initiatives import (
    idea_propose,
    initiative_adopt,
    initiative_cancel,
    initiative_close,
    initiative_close_pooling,
    initiative_close_pooling_at_deadline,
    initiative_confirm_participants,
    initiative_create,
    initiative_open_pooling,
    initiative_reopen_pooling,
    initiative_shelve,
    initiative_update,
    interest_register,
    item_add,
    item_remove,
    item_update,
    lot_add,
    lot_remove,
    lot_update,
)
from .participations import (
    TRANSITIONS as PARTICIPATION_TRANSITIONS,
)
from .participations import (
    demand_set,
    demand_values_refresh,
    participation_approve,
    participation_decline,
    participation_join,
    participation_lapse,
    participation_reopen,
    participation_submit,
    participation_withdraw,
)
from .tenders import (
    TRANSITIONS as TENDER_TRANSITIONS,
)
from .tenders import (
    tender_award,
    tender_cancel,
    tender_close_bids,
    tender_conclude,
    tender_create,
    tender_evaluate,
    tender_fail,
    tender_publish,
    tender_update,
)

__all__ = [
    "TENDER_TRANSITIONS",
    "bid_assess",
    "bid_submit",
    "supplier_register",
    "tender_award",
    "tender_cancel",
    "tender_close_bids",
    "tender_conclude",
    "tender_create",
    "tender_evaluate",
    "tender_fail",
    "tender_publish",
    "tender_update",
    "INITIATIVE_TRANSITIONS",
    "PARTICIPATION_TRANSITIONS",
    "available",
    "demand_set",
    "demand_values_refresh",
    "idea_propose",
    "initiative_adopt",
    "initiative_cancel",
    "initiative_close",
    "initiative_close_pooling",
    "initiative_close_pooling_at_deadline",
    "initiative_confirm_participants",
    "initiative_create",
    "initiative_open_pooling",
    "initiative_reopen_pooling",
    "initiative_shelve",
    "initiative_update",
    "interest_register",
    "item_add",
    "item_remove",
    "item_update",
    "lot_add",
    "lot_remove",
    "lot_update",
    "participation_approve",
    "participation_decline",
    "participation_join",
    "participation_lapse",
    "participation_reopen",
    "participation_submit",
    "participation_withdraw",
]
