"""Every state change of a tender, its bids and suppliers (DESIGN.md §4). Import from here."""

from .bids import bid_assess, bid_submit, supplier_register
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
]
