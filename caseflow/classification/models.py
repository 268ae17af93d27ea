"""The classification structure (klassificeringsstruktur): classes and their retention rules.

The structure follows Riksarkivet's process-based model: verksamhetsområde → processgrupp
→ process (three levels are usual; any depth is allowed). A case is classified by the
process it belongs to, and the process carries the retention rule for its records.

How the fields map onto an archive export in ERMS (E-ARK CITS ERMS v3), so that the
export and a disposal run (gallring) can be built on them:

``classification`` (on each case file's ``aggregation``):
    ``classificationCode`` = :attr:`ClassificationClass.code` ("2.3.1"),
    ``fullyQualifiedClassificationCode`` = the codes from the top down, joined by "/"
    ("2/2.3/2.3.1", :func:`caseflow.classification.services.qualified_code`),
    ``classificationId`` = :attr:`ClassificationClass.system_id`, the text content = the
    title.
The structure itself (``aggregation aggregationType="class"``, one per class):
    ``systemIdentifier`` = ``system_id`` (a UUID kept for the life of the class),
    ``hierarchicalParentClassId`` = the parent's ``system_id``, ``levelName`` = the kind
    (verksamhetsområde, processgrupp, process), ``title``, ``description``.
``disposal`` (on the class, and repeated on each case file of the process):
    ``@disposable`` = the action is ``dispose`` (gallra); ``disposalAction`` = "bevara" or
    "gallra"; ``disposalPeriod`` = ``retention_years`` (years after the case is closed,
    ``Case.closed_on``: the date a disposal run counts from); ``disposalMandate`` =
    ``retention_decision`` (e.g. "RA-MS 2020:1" or the authority's own gallringsbeslut);
    ``disposalDescription`` = the class's description.
``restriction restrictionType="confidential"``:
    ``regulation`` = ``secrecy_note`` ("OSL 21 kap. 1 §"): the secrecy that usually
    applies, a hint for the registrar and for the archive, never a decision on a record.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime


class RetentionAction(StrEnum):
    """What happens to a process's records: bevara (keep for ever) or gallra (destroy)."""

    PRESERVE = "preserve"
    DISPOSE = "dispose"


class ClassKind(StrEnum):
    """The level of a class, derived from its place in the tree."""

    AREA = "area"  # verksamhetsområde: a top-level class with sub-classes
    GROUP = "group"  # processgrupp: a class between an area and its processes
    PROCESS = "process"  # process: a class without active sub-classes; cases choose these


class ClassificationClass(SQLModel, table=True):
    """One class of the structure: an area, a process group or a process."""

    __tablename__ = "classification_class"

    id: int | None = Field(default=None, primary_key=True)
    #: The class code, e.g. "2.3.1": dot-separated segments of digits and letters.
    code: str = Field(sa_column=sa.Column(sa.String(50), unique=True, nullable=False))
    title: str = Field(max_length=300)
    description: str | None = Field(default=None, sa_type=sa.Text)
    parent_id: int | None = Field(default=None, foreign_key="classification_class.id", index=True)
    is_active: bool = Field(default=True)
    #: A stable identifier for the archive export (ERMS systemIdentifier/classificationId).
    system_id: str = Field(
        default_factory=lambda: str(uuid.uuid4()),
        sa_column=sa.Column(sa.String(36), unique=True, nullable=False),
    )
    #: preserve (bevara) or dispose (gallra); None while the rule is not decided.
    retention_action: str | None = Field(default=None, max_length=10)
    #: For dispose: the years after the case is closed before its records may be destroyed.
    retention_years: int | None = None
    #: The decision the rule rests on, e.g. "RA-MS 2020:1" or the authority's own decision.
    retention_decision: str | None = Field(default=None, max_length=200)
    #: The secrecy that usually applies to the process's records, e.g. "OSL 21 kap. 1 §".
    secrecy_note: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime)

    @property
    def label(self) -> str:
        """How the class is shown to people: "2.3.1 Title"."""
        return f"{self.code} {self.title}"
