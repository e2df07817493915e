"""Fixtures of the sharing tests: the referral factory and the isolated data dir are shared."""

from tests.referrals.conftest import data_dir, make_referral, sample_file

__all__ = ["data_dir", "make_referral", "sample_file"]
