"""Fixtures of the calendar tests: a fresh calendar snapshot per test and a record to time."""

from __future__ import annotations

import pytest

from xianjie.calendar.selectors import forget_calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test's database is rolled back afterwards; so must the process's calendar snapshot."""
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def record(county):
    """Any saved record can carry clocks; an org stands in for a referral here."""
    return county["sf"]


@pytest.fixture
def other_record(county):
    return county["jw"]
