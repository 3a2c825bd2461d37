"""What a pack tells the gate when a first preview leaves a value it needs unknown: the one contract.

The Python policy SDK words it "can't run policy '<policy>' from policy pack '<pack>@v<version>'
during preview: <why>" (pulumi_policy.policy._PolicyAnalyzerServicer); the packs' dispatching
servicer writes exactly that with `message` (tests/policies/test_dispatch.py holds it byte-equal to
the SDK's), and the gate reads it with `is_undecided` and `reason` (tenantctl.analyzer,
tenantctl.classify). Like mlops_policies.exemptions, it imports nothing but the standard library.
"""

from __future__ import annotations

PREFIX = "can't run policy"
REASON_SEPARATOR = "during preview: "


def message(policy: str, pack: str, version: str, why: str) -> str:
    return f"{PREFIX} '{policy}' from policy pack '{pack}@v{version}' {REASON_SEPARATOR}{why}"


def is_undecided(text: str) -> bool:
    return text.startswith(PREFIX)


def reason(text: str) -> str | None:
    """The why of an undecided diagnostic (what a reader needs), None for any other message."""
    if is_undecided(text) and REASON_SEPARATOR in text:
        return text.split(REASON_SEPARATOR, 1)[1].strip()
    return None
