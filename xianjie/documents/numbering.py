"""文号 allocation: 文司移〔2026〕3号 — org code, type word, year in 〔〕 (U+3014/U+3015), a number
without leading zeros (GB/T 9704-2012 7.2.4). Numbers are allocated under a row lock, inside the
caller's transaction, so two approvals at once never share a number and a rolled-back approval
gives its number back rather than leaving a hole that looks like a lost document."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import DocNumberSequence

#: The type word after the org code, per document type.
TYPE_WORDS = {"referral": "移", "supervision_notice": "监通", "supervision_decision": "监决"}


def doc_number_allocate(*, org: Any, doc_type: str, year: int) -> str:
    with transaction.atomic():
        sequence, _ = DocNumberSequence.objects.select_for_update().get_or_create(
            org=org, doc_type=doc_type, year=year
        )
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
    return format_doc_number(org.code, TYPE_WORDS[doc_type], year, sequence.last_number)


def format_doc_number(org_code: str, type_word: str, year: int, number: int) -> str:
    return f"{org_code}{type_word}〔{year}〕{number}号"
