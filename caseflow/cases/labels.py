"""What a person calls the states and actions of a case, in their language."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "registered": _l("Registered"),
    "in_preparation": _l("In preparation"),
    "in_review": _l("In review"),
    "approved": _l("Approved"),
    "on_agenda": _l("On agenda"),
    "decided": _l("Decided"),
    "dispatched": _l("Dispatched"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
}


#: The button each workflow action gets.
ACTION_LABELS = {
    "start": _l("Start preparation"),
    "submit": _l("Submit for review"),
    "approve": _l("Approve"),
    "return": _l("Return to the official"),
    "decide_delegated": _l("Decide under delegation"),
    "close": _l("Close the case"),
    "withdraw": _l("Withdraw the case"),
    "reopen": _l("Reopen"),
}

#: The steps a meeting or a dispatch takes, named in messages about them.
STEP_LABELS = {
    "put_on_agenda": _l("put on a meeting's agenda"),
    "decide": _l("decide at the meeting"),
    "table": _l("table at the meeting"),
    "refer_back": _l("refer back at the meeting"),
    "take_off_agenda": _l("take off the agenda"),
    "undo_decision": _l("undo the meeting's decision"),
    "dispatch": _l("dispatch"),
}


def action_label(action: str) -> str:
    """What a person calls ``action``; the code itself for one nobody knows."""
    label = ACTION_LABELS.get(action) or STEP_LABELS.get(action)
    return str(label) if label is not None else action


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status
