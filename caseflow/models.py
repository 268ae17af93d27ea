"""Every table caseflow has: importing this module fills ``SQLModel.metadata``.

It sits above the domains (it imports each one's models), so that ``caseflow.db``, which
every model module uses, imports none of them.
"""

from caseflow.auth import models as auth  # noqa: F401
from caseflow.cases import models as cases  # noqa: F401
from caseflow.classification import models as classification  # noqa: F401
from caseflow.common import models as common  # noqa: F401
from caseflow.disclosure import models as disclosure  # noqa: F401
from caseflow.doctemplates import models as doctemplates  # noqa: F401
from caseflow.documents import models as documents  # noqa: F401
from caseflow.mail import models as mail  # noqa: F401
from caseflow.meetings import appeal_models as appeals  # noqa: F401
from caseflow.meetings import (
    delegation_models,  # noqa: F401
    dispatch_models,  # noqa: F401
)
from caseflow.meetings import justering_models as justering  # noqa: F401
from caseflow.meetings import models as meetings  # noqa: F401
from caseflow.memos import models as memos  # noqa: F401
from caseflow.noticeboard import models as noticeboard  # noqa: F401
from caseflow.organisation import models as organisation  # noqa: F401
from caseflow.parties import models as parties  # noqa: F401
from caseflow.public import models as public  # noqa: F401
from caseflow.reminders import models as reminders  # noqa: F401
from caseflow.search import models as search  # noqa: F401
