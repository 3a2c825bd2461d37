"""Shared by the secrets tests of several controls."""

from __future__ import annotations

import pytest

from mlops_policies.schedules import schedule_max_gap_days


@pytest.mark.parametrize(
    ("expression", "gap"),
    [
        ("rate(1 day)", 1),
        ("rate(10 days)", 10),
        ("rate(23 hours)", 1),
        ("rate(0 days)", None),
        ("cron(0 0 * * ? *)", 1),
        ("cron(0 0 1,15 * ? *)", 31),
        ("cron(0 0 15W * ? *)", 33),
        ("cron(0 0 L * ? *)", 31),
        ("cron(0 0 ? * MON-FRI *)", 7),
        ("cron(0 0 ? * MON#1 *)", 35),
        ("cron(0 0 ? * MON#5 *)", None),
        ("cron(0 0 1 */3 ? *)", None),
        ("cron(0 0 1 * ? 2030)", None),
        ("cron(0 0 30 * ? *)", None),
        ("cron(0 0 1 * MON *)", None),
    ],
)
def test_schedule_gap_is_the_longest_wait_between_rotations(expression, gap):
    assert schedule_max_gap_days(expression) == gap
