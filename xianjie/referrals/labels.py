"""Chinese names of the referral actions written to the audit log, for the auditor's page."""

from .transitions import Transition

AUDIT_LABELS = {
    **{f"referral.{t.value}": f"线索移送·{t.label}" for t in Transition},
    "referral.update": "线索移送·修改草稿",
    "referral.view": "线索移送·查看",
    "referral.forwarded_in": "线索移送·转办接收",
    "referral.evidence_upload": "证据材料·上传",
    "referral.evidence_download": "证据材料·下载",
    "referral.evidence_corrupted": "证据材料·校验失败",
    "referral.evidence_copy": "证据材料·随转办复制",
    "keys.rotate": "主密钥轮换",
}
