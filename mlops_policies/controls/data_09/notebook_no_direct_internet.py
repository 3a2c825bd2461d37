"""The rule `data-09-notebook-no-direct-internet`, one of the DATA-09 rules.

DATA-09: Notebooks and ML studios stay inside the tenant network.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.messages import as_shown
from mlops_policies.props import get
from mlops_policies.resource_types import NOTEBOOK
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-09-notebook-no-direct-internet",
    control="DATA-09",
    types=[NOTEBOOK],
    severity=Severity.HIGH,
    description="SageMaker notebook instances have no direct internet access.",
    remediation="Set direct_internet_access='Disabled' on the aws.sagemaker.NotebookInstance (missing "
    "means Enabled) together with subnet_id and security_groups.",
)
def notebook_no_direct_internet(r: ResourceCheck) -> None:
    access = get(r.props, "directInternetAccess")
    if access != "Disabled":
        r.fail(f"{r.label} has directInternetAccess {as_shown(access)}; required: 'Disabled'")
