"""Whose demand a sheet or a document shows: kept apart from ``export`` so that it loads without pandas."""

from procurement.models import Initiative, ParticipationState

LABELS = {
    "nl": {
        "frozen": "Alleen goedgekeurde deelnames (de deelnemers zijn vastgelegd).",
        "open": "Goedgekeurde en ter goedkeuring ingediende deelnames (de deelnemers zijn nog niet vastgelegd); "
                "ontwerpen tellen niet mee.",
    },
    "en": {
        "frozen": "Approved participations only (the participants are frozen).",
        "open": "Approved participations and those submitted for approval (the participants are not frozen yet); "
                "drafts are not counted.",
    },
}


def shown_states(initiative: Initiative) -> tuple[str, ...]:
    """Approved demand; before the freeze also the demand submitted for approval (never drafts)."""
    if initiative.is_frozen:
        return (ParticipationState.APPROVED,)
    return (ParticipationState.SUBMITTED, ParticipationState.APPROVED)


def shown_states_label(initiative: Initiative, language: str) -> str:
    labels = LABELS.get(language, LABELS["en"])
    return labels["frozen"] if initiative.is_frozen else labels["open"]
