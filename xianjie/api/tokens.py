"""POST/DELETE /auth/token: login for integrations (CONTRACT.md).

The password, lockout and second-factor rules are the web login's (等保 2.0 level 3):
`login_attempt` applies them and writes the login log, here on the "api" channel.
"""

from django.http import HttpRequest
from ninja import Router, Status

from xianjie.accounts.security import login_attempt

from .auth import NotAuthenticated, bearer_auth
from .schemas import ErrorOut, TokenIn, TokenOut
from .services import api_token_issue, api_token_revoke

router = Router(tags=["登录"])


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="获取访问令牌",
)
def token_issue(request: HttpRequest, payload: TokenIn) -> dict[str, object]:
    """Wrong credentials answer 400, a locked account 403, a missing or wrong OTP 401."""
    user = login_attempt(
        request=request,
        username=payload.username,
        password=payload.password,
        otp=payload.otp,
        channel="api",
    )
    token, record = api_token_issue(user=user)
    return {"token": token, "expires_at": record.expires_at}


@router.delete(
    "/auth/token",
    auth=bearer_auth,
    response={204: None, 401: ErrorOut},
    summary="注销当前访问令牌",
)
def token_revoke(request: HttpRequest) -> Status[None]:
    record = getattr(request, "api_token", None)
    if record is None:
        raise NotAuthenticated()
    api_token_revoke(token=record, actor=request.auth)  # type: ignore[attr-defined]
    return Status(204, None)
