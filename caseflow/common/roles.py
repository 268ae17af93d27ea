"""The roles of caseflow's users (DESIGN: who uses it). The access rules in
``caseflow.common.permissions`` are written in these; ``caseflow.auth`` stores them."""

from enum import StrEnum


class Role(StrEnum):
    REGISTRAR = "registrar"
    OFFICIAL = "official"
    MANAGER = "manager"
    ADMIN = "admin"
    #: Förtroendevald: reads the meetings of their bodies and attests the protocols they
    #: were chosen to attest, nothing else.
    MEMBER = "member"
