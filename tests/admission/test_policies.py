"""The generated admission policies: structure, compilation in cel-cpp, and what only admission checks."""

from __future__ import annotations

from typing import Any

import pytest

from landingzone.admission.model import cel_string
from tests.admission import fixtures as fx
from tests.admission.engine import CelError, Request, admit, compiled, evaluate
from tests.admission.layers import admission_denials, crossguard_passes, stack_policies

STACKS = ("acme", "globex", "initech")
PLATFORM = "arn:aws:sts::111122223333:assumed-role/platform-admin/pulumi-deploy"


def expressions(stack: str) -> list[str]:
    return [
        e.expression
        for p in stack_policies(stack)
        for e in (*p.variables, *p.validations, *p.match_conditions)
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_pass_every_expression_compiles_in_cel_cpp(stack: str) -> None:
    for expression in expressions(stack):
        compiled(expression)


@pytest.mark.parametrize(
    "function", ["quantity('1Gi')", "url('https://x')", "cidr('10.0.0.0/8')", "'a'.find('a')"]
)
def test_fail_kubernetes_only_functions_do_not_compile_so_the_generator_cannot_rely_on_them(
    function: str,
) -> None:
    with pytest.raises(CelError, match="does not compile"):
        compiled(function)


def test_pass_cel_string_literals_round_trip_quotes_and_backslashes() -> None:
    text = "a'b\\c\"d"
    assert evaluate(cel_string(text), {}) == text


@pytest.mark.parametrize("stack", STACKS)
def test_pass_every_policy_fails_closed_and_every_binding_denies_on_the_tenant_namespaces(stack: str) -> None:
    policies = stack_policies(stack)
    assert len({p.name for p in policies}) == len(policies) == 8
    for policy in policies:
        manifest, binding = policy.manifest(), policy.binding_manifest()
        assert manifest["spec"]["failurePolicy"] == "Fail"
        assert binding["spec"]["validationActions"] == ["Deny"]
        assert binding["spec"]["policyName"] == manifest["metadata"]["name"]
        assert binding["spec"]["matchResources"]["namespaceSelector"] == {"matchLabels": {"tenant": stack}}
        keys = [v.key for v in policy.validations]
        assert len(set(keys)) == len(keys)
        for validation in policy.validations:
            assert (
                validation.message.startswith(f"{validation.control}: ")
                and "required: " in validation.message
            )


def test_pass_workload_policies_judge_every_pod_template_kind() -> None:
    resources = {r for r in stack_policies()[0].manifest()["spec"]["matchConstraints"]["resourceRules"]
                 for r in r["resources"]}  # fmt: skip
    assert resources == {
        "pods", "pods/ephemeralcontainers", "replicationcontrollers", "deployments", "statefulsets",
        "daemonsets", "replicasets", "jobs", "cronjobs",
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["ReplicaSet", "ReplicationController"])
def test_fail_kinds_crossguard_does_not_judge_are_rejected_at_admission(kind: str) -> None:
    obj = fx.workload(kind, fx.with_context(privileged=True))
    assert admission_denials(obj) == {"mlops-gpu-06-unprivileged": ["privileged"]}


def test_fail_an_ephemeral_debug_container_added_through_the_subresource() -> None:
    pod = fx.workload("Pod", fx.pod_spec(ephemeralContainers=[fx.container(name="debug", image="busybox")]))
    denied = admission_denials(pod, operation="UPDATE", old_object=pod, subresource="ephemeralcontainers")
    assert denied == {"mlops-prov-06-pinned-tenant-images": ["digest", "registry"]}


def test_pass_a_namespace_without_the_tenant_label_is_not_judged() -> None:
    pod = fx.workload("Pod", fx.pod_spec(hostNetwork=True))
    assert admission_denials(pod, namespace="kube-system", namespace_labels={}) == {}


# ---------------------------------------------------------------- stricter than CrossGuard (admission-only)


def test_fail_privilege_escalation_left_unset_is_rejected_by_both_layers() -> None:
    context = {k: v for k, v in fx.container()["securityContext"].items() if k != "allowPrivilegeEscalation"}
    pod = fx.workload("Pod", fx.pod_spec(containers=[fx.container(securityContext=context)]))
    assert not crossguard_passes(fx.UNPRIVILEGED, fx.POD_TYPES["Pod"], pod)
    assert admission_denials(pod) == {"mlops-gpu-06-unprivileged": ["privilege-escalation-explicit"]}


def test_fail_a_dra_claim_is_judged_only_at_admission() -> None:
    spec = fx.pod_spec(resourceClaims=[{"name": "gpu", "resourceClaimTemplateName": "h100"}])
    pod = fx.workload("Pod", spec)
    assert crossguard_passes(fx.GPU_NODES, fx.POD_TYPES["Pod"], pod)
    assert admission_denials(pod) == {"mlops-gpu-06-gpu-on-tenant-nodes": ["claims-node-selector"]}


@pytest.mark.parametrize(
    ("changes", "denied"),
    [
        ({"automountServiceAccountToken": True}, True),
        ({"automountServiceAccountToken": None}, True),
        ({"automountServiceAccountToken": None, "serviceAccountName": "default"}, True),
        ({"automountServiceAccountToken": None, "serviceAccountName": "workload"}, False),
        ({"automountServiceAccountToken": False, "serviceAccountName": "default"}, False),
    ],
)
def test_pod_token_mounts_by_default_are_rejected(changes: dict[str, Any], denied: bool) -> None:
    pod = fx.workload("Pod", fx.pod_spec(**changes))
    expected = {"mlops-sec-07-no-default-token-mounts": ["pod-automount"]} if denied else {}
    assert admission_denials(pod) == expected


def test_pass_a_generate_name_service_account_is_judged_without_an_evaluation_error() -> None:
    account = fx.service_account(metadata={"generateName": "run-", "namespace": fx.NAMESPACE})
    assert admission_denials(account) == {}


def test_pass_the_controller_creates_the_default_service_account() -> None:
    account = fx.service_account(metadata={"name": "default", "namespace": fx.NAMESPACE})
    del account["automountServiceAccountToken"]
    controller = "system:serviceaccount:kube-system:service-account-controller"
    assert admission_denials(account, username=controller, groups=()) == {}
    assert admission_denials(account) == {
        "mlops-sec-07-no-default-token-mounts": ["service-account-automount"]
    }


# ---------------------------------------------------------------- platform guardrails (TEN-06)


def quota() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "tenant-quota", "namespace": fx.NAMESPACE},
        "spec": {"hard": {"requests.nvidia.com/gpu": "8"}},
    }


GUARDRAIL = {"mlops-ten-06-platform-guardrails": ["platform-only"]}


@pytest.mark.parametrize("operation", ["CREATE", "UPDATE", "DELETE"])
def test_fail_a_tenant_identity_changes_the_quota(operation: str) -> None:
    obj = None if operation == "DELETE" else quota()
    old = None if operation == "CREATE" else quota()
    policy = next(p for p in stack_policies() if p.name in GUARDRAIL)
    verdict = admit(policy, Request(obj, operation=operation, old_object=old))
    assert verdict.denied_keys == ["platform-only"] and not verdict.errors


@pytest.mark.parametrize("operation", ["CREATE", "UPDATE", "DELETE"])
def test_pass_a_platform_admin_session_changes_the_quota(operation: str) -> None:
    obj = None if operation == "DELETE" else quota()
    policy = next(p for p in stack_policies() if p.name in GUARDRAIL)
    verdict = admit(policy, Request(obj, operation=operation, old_object=quota(), username=PLATFORM))
    assert verdict.allowed


def test_pass_the_namespace_controller_deletes_but_cannot_edit() -> None:
    policy = next(p for p in stack_policies() if p.name in GUARDRAIL)
    controller = "system:serviceaccount:kube-system:namespace-controller"
    assert admit(policy, Request(None, operation="DELETE", old_object=quota(), username=controller)).allowed
    assert not admit(
        policy, Request(quota(), operation="UPDATE", old_object=quota(), username=controller)
    ).allowed


def test_fail_a_role_named_like_the_platform_admin_in_another_account_is_not_the_platform() -> None:
    impostor = "arn:aws:sts::999999999999:assumed-role/platform-admin/x"
    assert admission_denials(quota(), username=impostor) == GUARDRAIL


def default_deny() -> dict[str, Any]:
    """The landing zone's default-deny policy (components/workspace.py), as the API server sees it."""
    dns = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "default-deny", "namespace": fx.NAMESPACE},
        "spec": {
            "podSelector": {},
            "policyTypes": ["Ingress", "Egress"],
            "egress": [
                {"to": [dns], "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}
            ],
        },
    }


def test_pass_the_platforms_default_deny_policy_passes_every_policy_for_the_platform() -> None:
    assert admission_denials(default_deny(), username=PLATFORM) == {}


def test_pass_a_tenant_policy_other_than_default_deny_is_not_a_guardrail() -> None:
    policy = default_deny()
    policy["metadata"]["name"] = "allow-dns"
    assert admission_denials(policy) == {}


def test_pass_egress_to_an_allowlisted_cidr_of_initech() -> None:
    policy = default_deny()
    policy["metadata"] = {"name": "hub", "namespace": "initech-dev"}
    policy["spec"]["egress"] = [{"to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}], "ports": [{"port": 443}]}]
    initech = next(p for p in stack_policies("initech") if p.name == "mlops-data-07-egress-allowlist")
    request = Request(policy, namespace="initech-dev", namespace_labels={"tenant": "initech"})
    assert admit(initech, request).allowed
    policy["spec"]["egress"][0]["to"][0]["ipBlock"]["cidr"] = "203.0.113.0/23"
    assert admit(initech, request).denied_keys == ["egress-ip-blocks"]
