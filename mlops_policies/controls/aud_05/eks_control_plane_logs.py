"""The rule `aud-05-eks-control-plane-logs`, one of the AUD-05 rules.

AUD-05: Cluster control planes are logged.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import as_list, get
from mlops_policies.rule import ResourceCheck, resource_rule

EKS_CLUSTER = "aws:eks/cluster:Cluster"
REQUIRED_CLUSTER_LOG_TYPES = ("api", "audit", "authenticator")


@resource_rule(
    "aud-05-eks-control-plane-logs",
    control="AUD-05",
    types=[EKS_CLUSTER],
    severity=Severity.HIGH,
    description="EKS clusters send at least the api, audit and authenticator control plane logs to "
    "CloudWatch.",
    remediation="Set enabled_cluster_log_types=['api', 'audit', 'authenticator', 'controllerManager', "
    "'scheduler'] on the cluster.",
)
def eks_control_plane_logs(r: ResourceCheck) -> None:
    enabled = {t for t in as_list(get(r.props, "enabledClusterLogTypes")) if isinstance(t, str)}
    missing = [t for t in REQUIRED_CLUSTER_LOG_TYPES if t not in enabled]
    if missing:
        r.fail(
            f"{r.label} has enabledClusterLogTypes {sorted(enabled)!r} without {', '.join(missing)}; "
            f"required: at least {', '.join(REQUIRED_CLUSTER_LOG_TYPES)}"
        )
