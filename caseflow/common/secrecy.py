"""The projection (``caseflow.common.projection``) seen from a logged-in viewer.

Pages and the CLI know the person, not the audience: these helpers find the audience for
the viewer and the case, and ask the projection. Nothing else decides what is masked.
"""

from __future__ import annotations

from caseflow.common import projection
from caseflow.common.projection import audience_for, mask  # noqa: F401 - re-exported


def case_title_for(case, viewer) -> str:
    return projection.case_title(case, audience_for(viewer, case))


def case_description_for(case, viewer) -> str | None:
    return projection.case_description(case, audience_for(viewer, case))


def case_parties_visible_to(case, viewer) -> bool:
    return projection.case_parties_visible(case, audience_for(viewer, case))


def case_parties_for(case, viewer) -> list[dict]:
    return projection.case_parties(case, audience_for(viewer, case))


def document_title_for(doc, case, viewer) -> str:
    return projection.document_title(doc, audience_for(viewer, case))


def document_counterpart_for(doc, case, viewer) -> str:
    return projection.document_counterpart(doc, audience_for(viewer, case), case)


def file_name_for(doc, case, f, viewer) -> str:
    return projection.file_name(doc, case, f, audience_for(viewer, case))


def may_open_files(doc, case, viewer) -> bool:
    return projection.may_open_files(doc, audience_for(viewer, case))


def document_to_dict(doc, case, viewer) -> dict:
    return projection.document_to_dict(doc, case, audience_for(viewer, case))


def case_to_dict(case, viewer, *, officer=None, documents=None) -> dict:
    return projection.case_to_dict(
        case, audience_for(viewer, case), officer=officer, documents=documents
    )
