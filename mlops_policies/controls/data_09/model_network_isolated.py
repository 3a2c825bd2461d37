"""The rule `data-09-model-network-isolated`, one of the DATA-09 rules.

DATA-09: Notebooks and ML studios stay inside the tenant network.
"""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import Severity

from mlops_policies.messages import as_shown
from mlops_policies.props import UNKNOWN, as_bool, get, known
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-09-model-network-isolated",
    control="DATA-09",
    types=["aws:sagemaker/model:Model"],
    severity=Severity.HIGH,
    description="SageMaker models run network-isolated or inside the tenant VPC.",
    remediation="Set enable_network_isolation=True, or vpc_config={'subnets': [...], "
    "'security_group_ids': [...]}, on the aws.sagemaker.Model.",
)
def model_network_isolated(r: ResourceCheck) -> None:
    isolation = get(r.props, "enableNetworkIsolation")
    if as_bool(isolation) is True:
        return
    # Only presence matters: subnets created in this run are unknown, but set.
    subnets = known(r.props, "vpcConfig", "subnets")
    if subnets is UNKNOWN or (
        isinstance(subnets, Sequence) and not isinstance(subnets, str) and len(subnets) > 0
    ):
        return
    r.fail(
        f"{r.label} has enableNetworkIsolation {as_shown(isolation)} and "
        f"vpcConfig.subnets {as_shown(subnets)}; "
        "required: enableNetworkIsolation true or a vpcConfig with subnets"
    )
