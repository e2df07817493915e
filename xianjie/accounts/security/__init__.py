"""Login security (等保 2.0 level 3): lockout, second factor, password change, the policy.

`login_attempt` is the one way in, for the web pages and the API token endpoint alike.
"""

from .errors import (
    BAD_CREDENTIALS,
    AccountLocked,
    OtpEnrolmentRequired,
    OtpRequired,
    PasswordChangeRequired,
)
from .login import (
    LoginChannel,
    LoginReason,
    SecondFactor,
    login_attempt,
    login_complete,
    otp_check,
    password_check,
    second_factor,
)
from .otp import otp_device_confirm
from .password import password_change
from .policy import (
    axes_cooloff_time,
    axes_failure_limit,
    current_policy,
    default_policy,
    security_policy_update,
)

__all__ = [
    "BAD_CREDENTIALS",
    "AccountLocked",
    "LoginChannel",
    "LoginReason",
    "OtpEnrolmentRequired",
    "OtpRequired",
    "PasswordChangeRequired",
    "SecondFactor",
    "axes_cooloff_time",
    "axes_failure_limit",
    "current_policy",
    "default_policy",
    "login_attempt",
    "login_complete",
    "otp_check",
    "otp_device_confirm",
    "password_change",
    "password_check",
    "second_factor",
    "security_policy_update",
]
