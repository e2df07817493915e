"""The referral pages: lists, drafting, the detail page with its acts and files."""

from .detail import referral_detail, referral_move, referral_upload
from .drafting import officer_pick, officer_search, referral_edit, referral_new
from .lists import referral_index, referral_oversight

__all__ = [
    "officer_pick",
    "officer_search",
    "referral_detail",
    "referral_edit",
    "referral_index",
    "referral_move",
    "referral_new",
    "referral_oversight",
    "referral_upload",
]
