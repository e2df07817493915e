"""Errors raised by services; the API and the views map each to one HTTP status (CONTRACT.md).

Services raise these instead of returning flags, so a failed service always leaves the
transaction rolled back and the caller always has a Chinese message to show.
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    default_detail = "请求无法处理。"

    def __init__(self, detail: str | None = None, errors: dict[str, list[str]] | None = None):
        self.detail = detail or self.default_detail
        self.errors = errors or {}
        super().__init__(self.detail)


class InvalidInput(ServiceError):
    """Bad input: `errors` names every bad field with its Chinese message."""

    status = 400
    default_detail = "输入有误，请按提示修改。"


class NotPermitted(ServiceError):
    status = 403
    default_detail = "您无权执行此操作。"


class NotFound(ServiceError):
    """Missing, or not visible to the user: the two are indistinguishable on purpose (第十一条)."""

    status = 404
    default_detail = "未找到该记录，或您无权查看。"


class Conflict(ServiceError):
    """The transition is not allowed from the current status, or a concurrent change won."""

    status = 409
    default_detail = "当前状态下不能执行此操作，或记录已被他人修改。"


class FileTooLarge(ServiceError):
    status = 413
    default_detail = "文件过大。"


class FileTypeRefused(ServiceError):
    status = 415
    default_detail = "不接受此类型的文件。"


def merge_errors(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for field, messages in part.items():
            merged.setdefault(field, []).extend(messages)
    return merged
