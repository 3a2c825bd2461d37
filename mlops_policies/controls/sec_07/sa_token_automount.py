"""The rule `sec-07-sa-token-automount`, one of the SEC-07 rules.

SEC-07: Service account tokens are not mounted by default.
"""

from __future__ import annotations

import re

from pulumi_policy import Severity

from mlops_policies.props import UNKNOWN, as_bool, get, known
from mlops_policies.rule import ResourceCheck, resource_rule

SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"
# The same text as landingzone.admission.patterns.IRSA_ROLE_ARN (ASCII-only, anchored: RE2 and `re` agree;
# tests/admission/test_patterns.py asserts they are equal). Any other annotation value, such as "x", gives
# the pods no AWS identity, so it cannot excuse mounting the API token.
IRSA_ROLE_ARN = re.compile(
    r"^arn:aws(?:-cn|-us-gov)?:iam::[0-9]{12}:role/(?:[!-~]*/)?[A-Za-z0-9+=,.@_-]{1,64}$"
)
# The message keeps its wording (tests outside this control assert it); a value that is not a role ARN
# is reported like a missing annotation.
REQUIRED = f"required: false, or the annotation {IRSA_ANNOTATION}"


@resource_rule(
    "sec-07-sa-token-automount",
    control="SEC-07",
    types=[SERVICE_ACCOUNT, f"{SERVICE_ACCOUNT}Patch"],
    severity=Severity.MEDIUM,
    description="ServiceAccounts set automountServiceAccountToken false unless they carry the IRSA "
    f"annotation {IRSA_ANNOTATION}; unset means true (Kubernetes' default). A ServiceAccountPatch is judged "
    "only when it sets the field (unset keeps the live value).",
    remediation="Set automount_service_account_token=False on the ServiceAccount (pods that need the API "
    "opt in with a projected token), or annotate it with eks.amazonaws.com/role-arn for IRSA.",
)
def sa_token_automount(r: ResourceCheck) -> None:
    # The role ARN is usually unknown in a first preview; an unknown annotation value is still set. An
    # unknown annotations map as a whole may or may not hold it: `get` raises and the SA is undecided.
    role_arn = known(get(r.props, "metadata", "annotations"), IRSA_ANNOTATION)
    if role_arn is UNKNOWN or (isinstance(role_arn, str) and IRSA_ROLE_ARN.fullmatch(role_arn)):
        return
    automount = get(r.props, "automountServiceAccountToken")
    if r.type.endswith("Patch") and automount is None:
        return
    if as_bool(automount) is not False:
        found = (
            "missing (Kubernetes default: true)"
            if automount is None
            else str(automount).lower()
            if isinstance(automount, bool)
            else repr(automount)
        )
        r.fail(f"{r.label} has automountServiceAccountToken {found}; {REQUIRED}")
