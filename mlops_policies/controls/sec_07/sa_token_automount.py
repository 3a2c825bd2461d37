"""The rule `sec-07-sa-token-automount`, one of the SEC-07 rules.

SEC-07: Service account tokens are not mounted by default.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import UNKNOWN, as_bool, get, known
from mlops_policies.rule import ResourceCheck, resource_rule

SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"


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
    if role_arn is UNKNOWN or (isinstance(role_arn, str) and role_arn.strip()):
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
        r.fail(
            f"{r.label} has automountServiceAccountToken {found}; required: false, or the annotation "
            f"{IRSA_ANNOTATION}"
        )
