"""sec-07-pod-token-automount: one compliant stack, one change per failing case."""

from __future__ import annotations

import copy
from typing import Any

from mlops_policies.controls.sec_07.pod_token_automount import pod_token_automount
from tests.policies.harness import UNKNOWN, Res, run_stack

SA = "kubernetes:core/v1:ServiceAccount"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
PATCH = "kubernetes:apps/v1:DeploymentPatch"
METADATA = {"name": "trainer", "namespace": "acme-dev", "labels": {"tenant": "acme"}}
ACCOUNT: dict[str, Any] = {
    "metadata": {"name": "trainer", "namespace": "acme-dev"},
    "automountServiceAccountToken": False,
}
POD = {"serviceAccountName": "trainer", "containers": [{"name": "main", "image": "x"}]}
WHERE = "kubernetes:apps/v1:Deployment 'app' spec.template.spec mounts the token of ServiceAccount"
IRSA = "eks.amazonaws.com/role-arn"
REQUIRED = f"required: false on the pod or its ServiceAccount, or a ServiceAccount annotated {IRSA}"


def deployment(pod: dict[str, Any], type_: str = DEPLOYMENT) -> Res:
    return Res(type_, "app", {"metadata": METADATA, "spec": {"template": {"spec": pod}}})


def account(**changes: Any) -> Res:
    props = copy.deepcopy(ACCOUNT)
    props.update(changes)
    return Res(SA, "trainer", props)


def test_pass_pod_whose_service_account_turns_automount_off():
    assert run_stack(pod_token_automount, [account(), deployment(POD)]).passed


def test_pass_pod_turning_automount_off_itself_under_the_default_service_account():
    pod = {"containers": POD["containers"], "automountServiceAccountToken": False}
    assert run_stack(pod_token_automount, [deployment(pod)]).passed


def test_pass_pod_of_an_irsa_service_account_with_an_unknown_role_arn():
    metadata = {**ACCOUNT["metadata"], "annotations": {"eks.amazonaws.com/role-arn": UNKNOWN}}
    irsa = Res(SA, "trainer", {"metadata": metadata})
    assert run_stack(pod_token_automount, [irsa, deployment(POD)]).passed


def test_pass_patch_that_does_not_set_automount_keeps_the_live_value():
    assert run_stack(pod_token_automount, [deployment(POD, PATCH)]).passed


def test_fail_pod_without_service_account_uses_the_undeclared_default_one():
    pod = {"containers": POD["containers"]}
    assert run_stack(pod_token_automount, [account(), deployment(pod)]).violations == [
        f"{WHERE} 'default': automountServiceAccountToken true (a ServiceAccount the stack does not declare "
        f"(Kubernetes default: true)); {REQUIRED}"
    ]


def test_fail_service_account_leaving_automount_unset():
    stack = [account(automountServiceAccountToken=None), deployment(POD)]
    assert run_stack(pod_token_automount, stack).violations == [
        f"{WHERE} 'trainer': automountServiceAccountToken true (not set on the ServiceAccount (Kubernetes "
        f"default: true)); {REQUIRED}"
    ]


def test_fail_pod_turning_automount_on_overrides_its_service_account():
    pod = {**POD, "automountServiceAccountToken": True}
    assert run_stack(pod_token_automount, [account(), deployment(pod)]).violations == [
        f"{WHERE} 'trainer': automountServiceAccountToken true, set on the pod; {REQUIRED}"
    ]


def test_fail_service_account_of_the_same_name_in_another_namespace_does_not_count():
    other = account(metadata={"name": "trainer", "namespace": "acme-prod"})
    assert run_stack(pod_token_automount, [other, deployment(POD)]).violations == [
        f"{WHERE} 'trainer': automountServiceAccountToken true (a ServiceAccount the stack does not declare "
        f"(Kubernetes default: true)); {REQUIRED}"
    ]


def test_undecided_pod_whose_service_account_name_is_unknown():
    outcome = run_stack(pod_token_automount, [account(), deployment({**POD, "serviceAccountName": UNKNOWN})])
    assert outcome.violations == [] and outcome.undecided is not None


def test_undecided_service_account_whose_namespace_is_unknown_in_a_first_preview():
    account_in_unknown_namespace = Res(SA, "trainer", {"metadata": {"name": "trainer", "namespace": UNKNOWN}})
    outcome = run_stack(pod_token_automount, [account_in_unknown_namespace, deployment(POD)])
    assert outcome.violations == [] and outcome.undecided is not None
