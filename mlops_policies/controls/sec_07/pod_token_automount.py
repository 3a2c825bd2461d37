"""sec-07-pod-token-automount: pods do not get the API token by default, whatever their ServiceAccount."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from mlops_policies import k8s_defaults, workloads
from mlops_policies.props import UNKNOWN, get, known
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule

SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"


def _declared_service_account(stack: StackCheck, namespace: Any, name: Any) -> PolicyResource | None:
    """The stack's ServiceAccount `name` in `namespace`; Undecided when a name or namespace is unknown."""
    unknown = [] if namespace is not UNKNOWN else ["metadata.namespace of the workload is unknown"]
    for account in stack.of_type(SERVICE_ACCOUNT):
        account_name = known(account.props, "metadata", "name")
        account_namespace = workloads.namespace_of(account.props)
        if UNKNOWN in (account_name, account_namespace):
            unknown.append(f"metadata of {label(account)} is unknown")
        elif account_name == name and account_namespace == namespace:
            return account
    if unknown:
        raise Undecided(unknown)
    return None


def _irsa(account: PolicyResource | None) -> bool:
    # An unknown role ARN (first preview) is still set: keys are read without touching values. An unknown
    # annotations map raises (undecided).
    annotations = get(account.props, "metadata", "annotations") if account is not None else None
    return isinstance(annotations, Mapping) and any(key == IRSA_ANNOTATION for key in annotations)


@stack_rule(
    "sec-07-pod-token-automount",
    control="SEC-07",
    types=[SERVICE_ACCOUNT, *workloads.WORKLOAD_TYPES],
    severity=Severity.MEDIUM,
    description="No workload pod spec gets the service account token mounted unless its ServiceAccount "
    f"carries the IRSA annotation {IRSA_ANNOTATION}: the pod's automountServiceAccountToken wins, then its "
    "ServiceAccount's, and both unset mean true (Kubernetes' ServiceAccount admission); a ServiceAccount the "
    "stack does not declare (such as a namespace's 'default') mounts. Patch kinds are judged only on what "
    "they set.",
    remediation="Set automount_service_account_token=False in the pod spec (spec.template.spec for workload "
    "controllers), or on a ServiceAccount of the stack that the pod names in service_account_name.",
)
def pod_token_automount(stack: StackCheck) -> None:
    for resource in stack.of_type(*workloads.WORKLOAD_TYPES):
        with stack.deciding(resource):
            namespace = workloads.namespace_of(resource.props)
            for pod in workloads.pod_specs(resource.resource_type, resource.props):
                own = get(pod.spec, "automountServiceAccountToken")
                if pod.patch and own is None:
                    continue
                name = k8s_defaults.service_account_name(pod.spec)
                account = _declared_service_account(stack, namespace, name)
                mounted = k8s_defaults.pod_automounts_token(pod.spec, account.props if account else None)
                if not mounted.value or _irsa(account):
                    continue
                required = (
                    f"false on the pod or its ServiceAccount, or a ServiceAccount annotated {IRSA_ANNOTATION}"
                )
                stack.fail(
                    resource,
                    f"{label(resource)} {pod.path} mounts the token of ServiceAccount '{name}': "
                    f"automountServiceAccountToken {_found(mounted)}; required: {required}",
                )


def _found(mounted: k8s_defaults.Effective) -> str:
    return "true, set on the pod" if mounted.source == "set on the pod" else f"true ({mounted.source})"
