"""The rule `data-09-notebook-no-root-access`, one of the DATA-09 rules.

DATA-09: Notebooks and ML studios stay inside the tenant network.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.messages import as_shown
from mlops_policies.props import get
from mlops_policies.resource_types import NOTEBOOK
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-09-notebook-no-root-access",
    control="DATA-09",
    types=[NOTEBOOK],
    severity=Severity.MEDIUM,
    description="SageMaker notebook instances give users no root access.",
    remediation="Set root_access='Disabled' on the aws.sagemaker.NotebookInstance (missing means Enabled).",
)
def notebook_no_root_access(r: ResourceCheck) -> None:
    access = get(r.props, "rootAccess")
    if access != "Disabled":
        r.fail(f"{r.label} has rootAccess {as_shown(access)}; required: 'Disabled'")
