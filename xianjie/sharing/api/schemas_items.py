"""Schemas of /shared-items (第十一条)."""

from datetime import datetime

from ninja import Field, Schema

from ..models import SharedItem

#: A shared item's file: multipart `file`.
FILE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "文件"},
                },
            }
        }
    },
}
#: A file's bytes, for the OpenAPI document.
FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "文件内容（附件）",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


class OrgRef(Schema):
    id: int
    name: str


class SharedItemListOut(Schema):
    id: int
    tier: int = Field(..., description="1 一般基础性信息（全面共享）；2 重要信息（指定范围共享）")
    tier_label: str
    category: str
    category_label: str
    title: str
    publisher_org: OrgRef
    status: str = Field(..., description="draft 草稿；published 已发布；withdrawn 已撤回")
    status_label: str
    leaders_only: bool
    published_at: datetime | None
    created_at: datetime
    unread: bool = Field(..., description="已发布、非本单位发布且本人尚未阅读")

    @staticmethod
    def resolve_tier_label(obj: SharedItem) -> str:
        return obj.get_tier_display()

    @staticmethod
    def resolve_category_label(obj: SharedItem) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_status_label(obj: SharedItem) -> str:
        return obj.get_status_display()


class SharedFileOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    url: str


class SharedItemOut(Schema):
    id: int
    tier: int
    tier_label: str
    category: str
    category_label: str
    title: str
    body: str
    publisher_org: OrgRef
    scope_orgs: list[OrgRef] = Field(..., description="重要信息的共享范围；一般信息为空")
    leaders_only: bool
    status: str
    status_label: str
    files: list[SharedFileOut]
    created_by: str
    created_at: datetime
    published_by: str | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    withdraw_reason: str
    actions: list[str] = Field(
        ..., description="当前用户可执行的操作：edit、delete、files、publish、withdraw"
    )


class SharedItemIn(Schema):
    tier: int | None = Field(None, description="1 一般基础性信息；2 重要信息")
    category: str = Field(
        "",
        description="policy 政策法规；experience 经验做法；requirement 工作要求；"
        "inspection_result 监督检查结果；accountability 问责处理情况；other 其他",
    )
    title: str = Field("", description="标题（不超过200字）")
    body: str = Field("", description="正文")
    scope_orgs: list[int] = Field(
        default_factory=list, description="重要信息的共享范围（本区域机构编号，至少一个）"
    )
    leaders_only: bool = Field(False, description="重要信息仅限范围内单位的审批领导阅读")


class SharedItemPatch(Schema):
    tier: int | None = None
    category: str | None = None
    title: str | None = None
    body: str | None = None
    scope_orgs: list[int] | None = None
    leaders_only: bool | None = None


class TransitionIn(Schema):
    reason: str = Field("", description="撤回理由（撤回时必填）")


class ReaderOut(Schema):
    name: str
    read_at: datetime


class OrgReceiptOut(Schema):
    org: OrgRef
    has_read: bool
    readers: list[ReaderOut]


class ReceiptsOut(Schema):
    read_orgs: int = Field(..., description="已有人阅读的单位数")
    total_orgs: int
    orgs: list[OrgReceiptOut]
