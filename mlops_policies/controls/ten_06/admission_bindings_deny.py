"""TEN-06: every generated policy is bound in Deny mode to the tenant's namespaces."""

from __future__ import annotations

from pulumi_policy import Severity

from landingzone.admission import Policy
from mlops_policies.controls.ten_06._compare import compare
from mlops_policies.controls.ten_06._expected import BINDING, CLUSTER, NAMESPACE, other_forms
from mlops_policies.rule import StackCheck, stack_rule


@stack_rule(
    "ten-06-admission-bindings-deny",
    control="TEN-06",
    types=[CLUSTER, NAMESPACE, BINDING, *other_forms(BINDING)],
    severity=Severity.HIGH,
    description="A stack with an EKS cluster or a Namespace registers, for every generated admission policy, "
    "one ValidatingAdmissionPolicyBinding identical to the generated one: validationActions [Deny] and "
    "namespaceSelector matchLabels tenant=<stack tenant>; no Patch or other API version of the kind writes a "
    "generated binding.",
    remediation="Register the landing zone's TenantAdmission component; do not change a binding's "
    "validationActions (Warn or Audit only report), its namespaceSelector or its resource rules.",
)
def admission_bindings_deny(stack: StackCheck) -> None:
    compare(stack, BINDING, "ValidatingAdmissionPolicyBinding", Policy.binding_manifest)
