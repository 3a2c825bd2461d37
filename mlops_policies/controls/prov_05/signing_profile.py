"""The rule `prov-05-signing-profile`, one of the PROV-05 rules.

PROV-05: The tenant has a signing profile for its artifacts.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity

from mlops_policies.props import get
from mlops_policies.rule import StackCheck, label, stack_rule

SIGNING_PROFILE = "aws:signer/signingProfile:SigningProfile"
NOTATION_PLATFORM = "Notation-OCI-SHA384-ECDSA"


def _signing_profile_problems(profile: PolicyResource, tenant_id: str | None) -> list[str]:
    problems = []
    platform = get(profile.props, "platformId")
    if platform != NOTATION_PLATFORM:
        found = repr(platform) if isinstance(platform, str) else "missing"
        problems.append(f"platformId {found}; required: {NOTATION_PLATFORM!r}")
    tenant = get(profile.props, "tags", "tenant")
    if tenant != tenant_id:
        found = repr(tenant) if isinstance(tenant, str) else "missing"
        problems.append(f"tags.tenant {found}; required: {tenant_id!r}")
    return problems


@stack_rule(
    "prov-05-signing-profile",
    control="PROV-05",
    types=[SIGNING_PROFILE],
    severity=Severity.HIGH,
    description="A regulated tenant stack has an AWS Signer signing profile with platformId "
    f"{NOTATION_PLATFORM} tagged with the tenant, to sign images and models before promotion.",
    remediation=f"Add aws.signer.SigningProfile(platform_id='{NOTATION_PLATFORM}', "
    "tags={'tenant': <tenant>, ...}) to the tenant stack and sign artifacts with it in the release pipeline.",
)
def signing_profile(stack: StackCheck) -> None:
    wrong: list[tuple[PolicyResource, list[str]]] = []
    for profile in stack.of_type(SIGNING_PROFILE):
        with stack.deciding(profile):
            problems = _signing_profile_problems(profile, stack.tenant.id)
            if not problems:
                return
            wrong.append((profile, problems))
    if stack.undecided:
        return  # a profile with unknown values may be the compliant one: stay undecided
    if not wrong:
        stack.fail(
            None,
            f"the stack has no {SIGNING_PROFILE}; required: one with platformId "
            f"{NOTATION_PLATFORM!r} tagged tenant={stack.tenant.id}",
        )
    for profile, problems in wrong:
        for problem in problems:
            stack.fail(profile, f"{label(profile)} has {problem}")
