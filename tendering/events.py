"""What a tender announces to the apps that build on it (``contracts``), which tendering may not import."""

from django.dispatch import Signal

# The exception to "after commit": sent INSIDE the conclusion transaction, with the locked tender, so that
# the receivers (``contracts``) write the contracts in the same transaction: a conclusion without its
# contracts can never be committed, and a failing receiver rolls the conclusion back.
tender_concluded = Signal()  # tender, actor
