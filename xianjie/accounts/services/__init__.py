"""Writing orgs, accounts, roles and the officer registry (第二条).

Every function is keyword-only, atomic, checks the actor's right through the access policies
(`accounts/policies.py`), lists every bad field in Chinese, and writes its audit entry in the same
transaction. `actor=None` is the installation itself (a management command run by the operator,
e.g. `xianjie demo`): it passes the permission checks but never the validation rules.
"""

from .officers import (
    CERT_NO_RE,
    OFFICER_FIELDS,
    cert_no_problem,
    officer_create,
    officer_problems,
    officer_update,
)
from .orgs import ORG_FIELDS, org_create, org_update, region_create
from .users import (
    MOBILE_RE,
    USER_FIELDS,
    USERNAME_RE,
    membership_grant,
    membership_revoke,
    user_create,
    user_reset_password,
    user_set_active,
    user_update,
)

__all__ = [
    "CERT_NO_RE",
    "MOBILE_RE",
    "OFFICER_FIELDS",
    "ORG_FIELDS",
    "USERNAME_RE",
    "USER_FIELDS",
    "cert_no_problem",
    "membership_grant",
    "membership_revoke",
    "officer_create",
    "officer_problems",
    "officer_update",
    "org_create",
    "org_update",
    "region_create",
    "user_create",
    "user_reset_password",
    "user_set_active",
    "user_update",
]
