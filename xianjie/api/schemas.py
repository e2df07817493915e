"""Schemas of token login; the error shape shared by every router is in xianjie.core.api."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from xianjie.core.api import ErrorOut

__all__ = ["ErrorOut", "TokenIn", "TokenOut"]


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150, description="用户名")
    password: str = Field(min_length=1, max_length=256, description="密码")
    otp: str | None = Field(None, max_length=16, description="动态口令（已启用时必填）")


class TokenOut(Schema):
    token: str = Field(description="访问令牌，放在请求头 Authorization: Bearer <token> 中")
    expires_at: datetime
