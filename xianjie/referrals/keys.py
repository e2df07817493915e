"""Master key rotation for referrals: re-wrap each data key and recompute the blind indexes.

Fields and evidence files stay as they are — they are encrypted under the per-referral data key,
which does not change; only its wrapping and the keyed indexes depend on the master key.
"""

from __future__ import annotations

from xianjie.core import crypto

from .models import Referral, ReferralSubject
from .sealing import unseal


def rewrap_referral_keys(old: crypto.MasterKey, new: crypto.MasterKey) -> int:
    count = 0
    for referral in Referral.objects.select_for_update().only("pk", "wrapped_key").iterator():
        referral._data_key = crypto.unwrap_data_key(referral.wrapped_key, old)  # type: ignore[attr-defined]
        referral.wrapped_key = crypto.rewrap_data_key(referral.wrapped_key, old, new)
        referral.save(update_fields=["wrapped_key"])
        for subject in ReferralSubject.objects.filter(referral=referral):
            prefix = f"subject:{subject.pk}"
            cert_no = unseal(referral, f"{prefix}:cert_no", subject.cert_no_enc)
            name = unseal(referral, f"{prefix}:name", subject.name_enc)
            subject.cert_index = (
                crypto.blind_index(cert_no, purpose="cert_no", master=new) if cert_no else ""
            )
            subject.name_index = (
                crypto.blind_index(name, purpose="subject_name", master=new) if name else ""
            )
            subject.save(update_fields=["cert_index", "name_index"])
        count += 1
    return count
