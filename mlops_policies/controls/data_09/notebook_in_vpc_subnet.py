"""The rule `data-09-notebook-in-vpc-subnet`, one of the DATA-09 rules.

DATA-09: Notebooks and ML studios stay inside the tenant network.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.messages import as_shown
from mlops_policies.props import UNKNOWN, known
from mlops_policies.resource_types import NOTEBOOK
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-09-notebook-in-vpc-subnet",
    control="DATA-09",
    types=[NOTEBOOK],
    severity=Severity.HIGH,
    description="SageMaker notebook instances run in a subnet of the tenant VPC.",
    remediation="Set subnet_id=private_subnet.id (and security_groups) on the "
    "aws.sagemaker.NotebookInstance.",
)
def notebook_in_vpc_subnet(r: ResourceCheck) -> None:
    # Only presence matters: an unknown value (a subnet id created in this run) is set.
    subnet = known(r.props, "subnetId")
    if subnet is not UNKNOWN and not (isinstance(subnet, str) and subnet.strip()):
        r.fail(f"{r.label} has subnetId {as_shown(subnet)}; required: a subnet of the tenant VPC")
