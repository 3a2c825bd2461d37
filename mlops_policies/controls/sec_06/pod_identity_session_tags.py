"""sec-06-pod-identity-session-tags: associations keep the session tags the trust policy relies on."""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.pod_identity import ASSOCIATION
from mlops_policies.props import as_bool, get
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "sec-06-pod-identity-session-tags",
    control="SEC-06",
    types=[ASSOCIATION],
    severity=Severity.HIGH,
    description="Pod Identity associations leave session tags on (disableSessionTags not true): the "
    "role's trust conditions on namespace, service account and cluster read them.",
    remediation="Remove disable_session_tags from the aws.eks.PodIdentityAssociation (or set it to False).",
)
def pod_identity_session_tags(r: ResourceCheck) -> None:
    disabled = get(r.props, "disableSessionTags")
    if as_bool(disabled) is True:
        r.fail(f"{r.label} has disableSessionTags true; required: false or not set")
