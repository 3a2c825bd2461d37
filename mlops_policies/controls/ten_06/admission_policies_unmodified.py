"""TEN-06: every generated ValidatingAdmissionPolicy is registered, unmodified."""

from __future__ import annotations

from pulumi_policy import Severity

from landingzone.admission import Policy
from mlops_policies.controls.ten_06._compare import compare
from mlops_policies.controls.ten_06._expected import CLUSTER, NAMESPACE, POLICY, other_forms
from mlops_policies.rule import StackCheck, stack_rule


@stack_rule(
    "ten-06-admission-policies-unmodified",
    control="TEN-06",
    types=[CLUSTER, NAMESPACE, POLICY, *other_forms(POLICY)],
    severity=Severity.HIGH,
    description="A stack with an EKS cluster or a Namespace registers every ValidatingAdmissionPolicy that "
    "landingzone.admission generates for its config, each exactly once and identical to the generated "
    "metadata and spec (failurePolicy Fail, the same match constraints, variables and validations), and "
    "no Patch or other API version of the kind writes a generated policy.",
    remediation="Register the landing zone's TenantAdmission component (components/admission.py) in the "
    "tenant cluster and remove any edit, transformation or extra object that changes its policies.",
)
def admission_policies_unmodified(stack: StackCheck) -> None:
    compare(stack, POLICY, "ValidatingAdmissionPolicy", Policy.manifest)
