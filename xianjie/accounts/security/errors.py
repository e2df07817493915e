"""Refusals of the login services, each with its HTTP status and a Chinese message."""

from __future__ import annotations

from xianjie.core.errors import NotPermitted, ServiceError

#: One message for an unknown user, a wrong password and a disabled account, so that a
#: failed login never tells which of the three it was.
BAD_CREDENTIALS = "用户名或密码错误。"


class AccountLocked(NotPermitted):
    """Too many failures for this account or from this address (等保 2.0 登录失败处理)."""

    def __init__(self, minutes: int):
        super().__init__(f"登录失败次数过多，账户已被锁定，请{minutes}分钟后再试。")
        self.minutes = minutes


class OtpRequired(ServiceError):
    """The password was right, and the account must also give a dynamic password (动态口令)."""

    status = 401
    default_detail = "该账户须使用动态口令登录，请输入动态口令。"

    def __init__(self, detail: str | None = None):
        super().__init__(detail, errors={"otp": ["请输入动态口令。"]})


class OtpEnrolmentRequired(NotPermitted):
    """The policy requires a second factor for one of the user's roles, and none is bound yet.

    The web login lets the user in to bind one; the API cannot, so it refuses."""

    default_detail = "您的角色须使用动态口令，但尚未绑定。请先登录网页端绑定动态口令，再使用接口。"


class PasswordChangeRequired(NotPermitted):
    """An account created by an administrator must change its initial password on the web first."""

    default_detail = "首次登录须修改初始密码，请先登录网页端修改密码，再使用接口。"
