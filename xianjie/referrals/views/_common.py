"""What every referral page shares: the login and error handling, the service refusals put back
on the fields that caused them, and the Chinese names of the fields services report."""

from __future__ import annotations

import re

#: Names of the fields services report (`subjects.0.cert_no`, `norms.1.clause`, …).
FIELD_LABELS = {
    "direction": "移送方向",
    "receiver_org": "接收单位",
    "source": "线索来源",
    "subjects": "涉案人员或单位",
    "facts": "违法事实",
    "norms": "违反的执法规范",
    "violation_codes": "违法违纪行为",
    "summary": "摘要",
    "evidence": "证据材料",
    "comment": "说明",
    "reason": "理由",
    "method": "处置方式",
    "target_org": "转办单位",
    "what": "需补充的材料",
    "result": "处理结果",
    "document": "书面反馈函",
    "file": "文件",
    "role": "材料用途",
    "description": "文件说明",
}
ITEM_LABELS = {
    "kind": "类别",
    "officer": "执法人员",
    "name": "姓名或名称",
    "post": "职务",
    "org": "所在单位",
    "cert_no": "执法证编号",
}
NORM_LABELS = {"name": "法规名称", "clause": "条款"}
_ITEM_KEY = re.compile(r"(subjects|norms)\.(\d+)\.(\w+)")


def field_label(key: str) -> str:
    """`subjects.0.cert_no` → 「第1个涉案对象的执法证编号」; `facts` → 「违法事实」."""
    if match := _ITEM_KEY.fullmatch(key):
        group, index, field = match.groups()
        if group == "subjects":
            return f"第{int(index) + 1}个涉案对象的{ITEM_LABELS.get(field, field)}"
        return f"第{int(index) + 1}条执法规范的{NORM_LABELS.get(field, field)}"
    return FIELD_LABELS.get(key, key)


def problem_list(errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """A service's errors as (what, message) pairs, in the order they were reported."""
    return [(field_label(key), message) for key, messages in errors.items() for message in messages]
