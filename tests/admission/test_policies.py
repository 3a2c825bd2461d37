"""The generated admission policies: structure, compilation in cel-cpp, and what only admission checks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from landingzone.admission import Policy, settings_from_stack, tenant_policies
from landingzone.admission.model import cel_string
from landingzone.config import load_stack
from landingzone.incident_config import IncidentConfig
from tests.admission import fixtures as fx
from tests.admission.engine import CelError, Request, admit, compiled, evaluate
from tests.admission.layers import PROJECT, admission_denials, crossguard_passes, stack_policies
from tests.policies.incident import INCIDENT

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


# ---------------------------------------------------------------- Pods after the mutating plugins (GPU-06)
#
# A Job or Deployment passes with the tenant toleration alone, but the Pods its controller then creates
# reach validating admission after DefaultTolerationSeconds and ExtendedResourceToleration have added
# their tolerations (fx.NOT_READY, fx.UNREACHABLE, one per requested extended resource).

GPU_PLACEMENT = "mlops-gpu-06-gpu-on-tenant-nodes"
TOLERATIONS_DENIED = (
    "GPU-06: a pod spec requesting nvidia.com/gpu or nvidia.com/mig-* has tolerations beyond the tenant's "
    "taint; required: only the toleration tenant=acme (operator Equal), besides those kube-apiserver adds "
    "(node.kubernetes.io/not-ready and node.kubernetes.io/unreachable: Exists, NoExecute; an extended "
    "resource the pod requests: Exists, NoSchedule)"
)
ADDED = [fx.TENANT_TOLERATION, fx.NOT_READY, fx.UNREACHABLE]


def controller_pod(resource: str, *extra: dict[str, Any]) -> dict[str, Any]:
    """The Pod a Job's controller creates for a template requesting `resource`, as admission sees it:
    requests defaulted from limits, and the tolerations the mutating plugins add."""
    amounts = {resource: "1"}
    spec = fx.gpu_spec(
        containers=[fx.container(resources={"requests": amounts, "limits": amounts})],
        tolerations=[*ADDED, fx.resource_toleration(resource), *extra],
    )
    return fx.workload("Pod", spec)


def dra_pod(*tolerations: dict[str, Any]) -> dict[str, Any]:
    spec = fx.pod_spec(
        resourceClaims=[{"name": "gpu", "resourceClaimTemplateName": "h100"}],
        containers=[fx.container(resources={"claims": [{"name": "gpu"}]})],
        nodeSelector={"tenant": fx.TENANT},
        tolerations=list(tolerations),
    )
    return fx.workload("Pod", spec)


@pytest.mark.parametrize("resource", ["nvidia.com/gpu", "nvidia.com/mig-3g.40gb"])
def test_pass_a_gpu_pod_a_job_creates_is_admitted_with_the_tolerations_kube_apiserver_adds(
    resource: str,
) -> None:
    assert admission_denials(controller_pod(resource)) == {}


@pytest.mark.parametrize("seconds", [60, None])
def test_pass_the_not_ready_tolerations_are_accepted_with_any_toleration_seconds(seconds: int | None) -> None:
    pod = controller_pod("nvidia.com/gpu")
    for toleration in pod["spec"]["tolerations"][1:3]:
        toleration["tolerationSeconds"] = seconds
    assert admission_denials(pod) == {}


def test_pass_a_dra_pod_a_job_creates_is_admitted_with_the_tolerations_kube_apiserver_adds() -> None:
    assert admission_denials(dra_pod(*ADDED)) == {}


def test_fail_a_dra_pod_tolerating_a_gpu_taint_without_requesting_the_gpu() -> None:
    pod = dra_pod(*ADDED, fx.resource_toleration("nvidia.com/gpu"))
    assert admission_denials(pod) == {GPU_PLACEMENT: ["claims-tolerations"]}


def test_fail_a_dra_pod_tolerating_every_taint_besides_the_added_ones() -> None:
    assert admission_denials(dra_pod(*ADDED, {"operator": "Exists"})) == {
        GPU_PLACEMENT: ["claims-tolerations"]
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"operator": "Exists"},
        {"key": "", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "CriticalAddonsOnly", "operator": "Exists"},
        fx.resource_toleration("nvidia.com/mig-1g.5gb"),
        fx.resource_toleration("vpc.amazonaws.com/efa"),
        {**fx.NOT_READY, "effect": "NoSchedule"},
    ],
    ids=[
        "every-taint",
        "empty-key",
        "other-key",
        "unrequested-mig",
        "unrequested-efa",
        "not-ready-no-schedule",
    ],
)
def test_fail_a_gpu_pod_a_job_creates_with_one_more_toleration_than_kube_apiserver_adds(
    extra: dict[str, Any],
) -> None:
    policy = next(p for p in stack_policies() if p.name == GPU_PLACEMENT)
    verdict = admit(policy, Request(controller_pod("nvidia.com/gpu", extra)))
    assert verdict.denials == [TOLERATIONS_DENIED] and not verdict.errors


NVIDIA_VISIBLE_DEVICES_DENIED = (
    "GPU-06: a container env var is named NVIDIA_VISIBLE_DEVICES (env[*].name), which makes the NVIDIA "
    "runtime expose GPUs the pod did not request; required: no such env var (request nvidia.com/gpu or "
    "nvidia.com/mig-*: the device plugin sets it)"
)


@pytest.mark.parametrize("containers", ["initContainers", "containers", "ephemeralContainers"])
@pytest.mark.parametrize(
    "entry",
    [
        {"name": "NVIDIA_VISIBLE_DEVICES", "value": "all"},
        {"name": "NVIDIA_VISIBLE_DEVICES", "valueFrom": {"configMapKeyRef": {"name": "gpus", "key": "ids"}}},
    ],
    ids=["value", "value-from"],
)
def test_fail_a_pod_without_a_gpu_request_choosing_gpus_through_nvidia_visible_devices(
    containers: str, entry: dict[str, Any]
) -> None:
    env = [*fx.container()["env"], entry]
    pod = fx.workload("Pod", fx.pod_spec(**{containers: [fx.container(name="x", env=env)]}))
    policy = next(p for p in stack_policies() if p.name == GPU_PLACEMENT)
    verdict = admit(policy, Request(pod))
    # The exact, constant message: the value (here "all", possibly a secret elsewhere) is never echoed.
    assert verdict.denials == [NVIDIA_VISIBLE_DEVICES_DENIED] and not verdict.errors


def test_fail_a_gpu_job_template_setting_nvidia_visible_devices() -> None:
    container = fx.container(
        resources=fx.GPU_LIMITS, env=[{"name": "NVIDIA_VISIBLE_DEVICES", "value": "0,1"}]
    )
    job = fx.workload("Job", fx.gpu_spec(containers=[container]))
    assert admission_denials(job) == {GPU_PLACEMENT: ["nvidia-visible-devices"]}


def test_pass_cuda_visible_devices_which_selects_among_the_allocated_gpus_only() -> None:
    container = fx.container(resources=fx.GPU_LIMITS, env=[{"name": "CUDA_VISIBLE_DEVICES", "value": "0"}])
    assert admission_denials(fx.workload("Job", fx.gpu_spec(containers=[container]))) == {}


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


SA_AUTOMOUNT_DENIED = (
    "SEC-07: the ServiceAccount has automountServiceAccountToken missing or true; required: false, or the "
    "annotation eks.amazonaws.com/role-arn set to an IAM role ARN "
    "(arn:<aws|aws-cn|aws-us-gov>:iam::<12 digits>:role/<path/name>)"
)


@pytest.mark.parametrize(
    "value", ["x", "arn:aws:iam::111122223333:role/", "arn:aws:iam::111122223333:role/a\n", "arn:aws"]
)
def test_fail_a_service_account_mounting_tokens_under_an_annotation_that_is_not_a_role_arn(
    value: str,
) -> None:
    account = fx.service_account(automountServiceAccountToken=True, metadata=fx.irsa(value))
    policy = next(p for p in stack_policies() if p.name == "mlops-sec-07-no-default-token-mounts")
    verdict = admit(policy, Request(account))
    assert verdict.denials == [SA_AUTOMOUNT_DENIED] and not verdict.errors


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


@pytest.mark.parametrize("name", ["default-deny", "quarantine-deny-all"])
@pytest.mark.parametrize(
    "request_name",
    [None, ""],
    ids=["single-delete", "collection-delete-item"],
)
def test_fail_a_tenant_deletes_a_platform_network_policy_singly_or_by_collection(
    name: str, request_name: str | None
) -> None:
    # kubectl delete networkpolicies --field-selector metadata.name=<name>: each item reaches admission
    # with request.name "" and the item as oldObject.
    stored = default_deny()
    stored["metadata"]["name"] = name
    request = {"operation": "DELETE", "old_object": stored, "request_name": request_name}
    assert admission_denials(None, **request) == GUARDRAIL


def test_pass_the_platform_deletes_the_quarantine_policy_by_collection() -> None:
    stored = default_deny()
    stored["metadata"]["name"] = "quarantine-deny-all"
    request = {"operation": "DELETE", "old_object": stored, "request_name": "", "username": PLATFORM}
    assert admission_denials(None, **request) == {}


def test_pass_a_tenant_deletes_its_own_network_policy_by_collection() -> None:
    stored = default_deny()
    stored["metadata"]["name"] = "allow-hub"
    assert admission_denials(None, operation="DELETE", old_object=stored, request_name="") == {}


# ---------------------------------------------------------------- during a quarantine (TEN-06)

QUARANTINE_DENIED = (
    "TEN-06: the tenant is quarantined (landingzone:incident), and NetworkPolicies in its namespaces are "
    "then created and changed by the platform only (request.userInfo.username); required: a session of "
    "arn:aws:iam::111122223333:role/platform-admin, or the tenant's release"
)


def quarantined_guardrails() -> Policy:
    settings = replace(settings_from_stack(load_stack(PROJECT, "acme")), quarantined=True)
    return next(p for p in tenant_policies(settings) if p.name in GUARDRAIL)


def allow_all() -> dict[str, Any]:
    """What a tenant would add to reopen a quarantined namespace: NetworkPolicies add up."""
    policy = default_deny()
    policy["metadata"]["name"] = "allow-all"
    policy["spec"] = {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [{}],
        "egress": [{}],
    }
    return policy


def test_pass_settings_from_a_stack_with_landingzone_incident_are_quarantined() -> None:
    stack = load_stack(PROJECT, "acme")
    assert not settings_from_stack(stack).quarantined
    incident = IncidentConfig.model_validate(
        {**INCIDENT, "original_sha256": "0" * 64, "original_stack_file": "Y29uZmlnOiB7fQo="}
    )
    assert settings_from_stack(stack.model_copy(update={"incident": incident})).quarantined


@pytest.mark.parametrize("operation", ["CREATE", "UPDATE"])
def test_fail_a_tenant_adds_or_changes_a_network_policy_while_quarantined(operation: str) -> None:
    old = allow_all() if operation == "UPDATE" else None
    verdict = admit(quarantined_guardrails(), Request(allow_all(), operation=operation, old_object=old))
    assert verdict.denials == [QUARANTINE_DENIED] and not verdict.errors


def test_fail_a_tenant_deletes_the_quarantine_policy_by_collection_while_quarantined() -> None:
    stored = default_deny()
    stored["metadata"]["name"] = "quarantine-deny-all"
    request = Request(None, operation="DELETE", old_object=stored, request_name="")
    assert admit(quarantined_guardrails(), request).denied_keys == ["platform-only"]


def test_pass_a_tenant_deletes_its_own_network_policy_while_quarantined() -> None:
    request = Request(None, operation="DELETE", old_object=allow_all())
    assert not admit(quarantined_guardrails(), request).applies


def test_pass_the_platform_adds_network_policies_while_quarantined() -> None:
    assert admit(quarantined_guardrails(), Request(allow_all(), username=PLATFORM)).allowed


def test_pass_a_tenant_adds_a_network_policy_when_not_quarantined() -> None:
    assert admission_denials(allow_all()) == {
        "mlops-data-07-egress-allowlist": ["egress-peers", "ingress-peers"]
    }


def test_pass_the_platforms_default_deny_policy_passes_every_policy_for_the_platform() -> None:
    assert admission_denials(default_deny(), username=PLATFORM) == {}


def test_pass_a_tenant_policy_other_than_default_deny_is_not_a_guardrail() -> None:
    policy = default_deny()
    policy["metadata"]["name"] = "allow-dns"
    assert admission_denials(policy) == {}


INGRESS_TOO_WIDE = (
    "DATA-07: a NetworkPolicy ingress ipBlock (spec.ingress[*].from[*].ipBlock.cidr) is wider than /16 "
    "(IPv4) or /48 (IPv6), which includes any spelling of 0.0.0.0/0 and ::/0; required: a prefix length of "
    "at least /16 for IPv4 (the tenant VPC is /16 to /22) and /48 for IPv6"
)


def ingress_from(*cidrs: str) -> dict[str, Any]:
    policy = default_deny()
    policy["metadata"]["name"] = "allow-lb"
    policy["spec"] = {
        "podSelector": {},
        "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"ipBlock": {"cidr": c}} for c in cidrs], "ports": [{"port": 8080}]}],
    }
    return policy


@pytest.mark.parametrize(
    "cidrs",
    [
        ("0.0.0.0/0",),
        ("0.0.0.0/1", "128.0.0.0/1"),
        ("::/0",),
        ("::0/0",),
        ("0::/0",),
        ("0:0:0:0:0:0:0:0/0",),
        ("1.2.3.4/0",),
        ("0.0.0.0/00",),
        ("10.0.0.0/8",),
        ("10.1.0.0/15",),
        ("2001:db8::/32",),
    ],
    ids=lambda c: "+".join(c),
)
def test_fail_ingress_from_a_block_wider_than_the_minimum_however_it_is_spelled(
    cidrs: tuple[str, ...],
) -> None:
    policy = next(p for p in stack_policies() if p.name == "mlops-data-07-egress-allowlist")
    verdict = admit(policy, Request(ingress_from(*cidrs)))
    assert verdict.denials == [INGRESS_TOO_WIDE] and not verdict.errors


@pytest.mark.parametrize(
    "cidr",
    ["10.1.0.0/16", "10.1.0.0/016", "10.1.2.0/24", "192.0.2.7/32", "2001:db8:1::/48", "2001:db8::1/128"],
)
def test_pass_ingress_from_a_block_at_least_as_narrow_as_the_minimum(cidr: str) -> None:
    assert admission_denials(ingress_from(cidr)) == {}


def test_pass_egress_to_an_allowlisted_cidr_of_initech() -> None:
    policy = default_deny()
    policy["metadata"] = {"name": "hub", "namespace": "initech-dev"}
    policy["spec"]["egress"] = [{"to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}], "ports": [{"port": 443}]}]
    initech = next(p for p in stack_policies("initech") if p.name == "mlops-data-07-egress-allowlist")
    request = Request(policy, namespace="initech-dev", namespace_labels={"tenant": "initech"})
    assert admit(initech, request).allowed
    policy["spec"]["egress"][0]["to"][0]["ipBlock"]["cidr"] = "203.0.113.0/23"
    assert admit(initech, request).denied_keys == ["egress-ip-blocks"]


# ------------------------------------------------------------ the tenant's ECR in every spelling (PROV-06)

REGISTRY_DENIED = (
    "PROV-06: a container's image is not from the tenant's ECR repositories; required: one of "
    "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/models, "
    "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/serving"
)
IMAGE_POLICY = "mlops-prov-06-pinned-tenant-images"


def image_verdict(image: str) -> tuple[list[str], list[str]]:
    policy = next(p for p in stack_policies() if p.name == IMAGE_POLICY)
    verdict = admit(policy, Request(fx.workload("Pod", fx.pod_spec(containers=[fx.container(image=image)]))))
    return verdict.denials, verdict.errors


@pytest.mark.parametrize(
    "host",
    [
        f"{fx.REGISTRY}:443",
        fx.REGISTRY.upper(),
        "111122223333.Dkr.Ecr.Us-East-1.AmazonAWS.com",
        "111122223333.dkr.ecr-fips.us-east-1.amazonaws.com",
        "111122223333.DKR.ECR-FIPS.US-EAST-1.AMAZONAWS.COM:443",
    ],
    ids=["port-443", "upper-case-host", "mixed-case-host", "fips-endpoint", "upper-case-fips-with-port"],
)
def test_pass_the_tenants_own_ecr_image_in_another_valid_spelling_of_its_host(host: str) -> None:
    assert image_verdict(f"{host}/acme/models@{fx.DIGEST}") == ([], [])


@pytest.mark.parametrize(
    "image",
    [
        f"{fx.REGISTRY}:5000/acme/models@{fx.DIGEST}",
        f"{fx.REGISTRY}:443x/acme/models@{fx.DIGEST}",
        f"{fx.REGISTRY.upper()}/ACME/MODELS@{fx.DIGEST}",
        f"444455556666.dkr.ecr-fips.us-east-1.amazonaws.com/acme/models@{fx.DIGEST}",
        f"111122223333.dkr.ecr-fips.us-west-2.amazonaws.com/acme/models@{fx.DIGEST}",
        f"111122223333.dkr.ecr-fipsx.us-east-1.amazonaws.com/acme/models@{fx.DIGEST}",
        f"111122223333.dkr.ecr.us-east-1.amazonaws.com.evil.example/acme/models@{fx.DIGEST}",
        f"111122223333.dkr.ecr.us-east-1.amazonaws.com\u212a/acme/models@{fx.DIGEST}",
        f"111122223333.d\u212ar.ecr.us-east-1.amazonaws.com/acme/models@{fx.DIGEST}",
    ],
    ids=[
        "other-port",
        "port-with-junk",
        "upper-case-repository-path",
        "fips-of-another-account",
        "fips-of-another-region",
        "not-the-fips-label",
        "host-suffix",
        "kelvin-sign-after-host",
        "kelvin-sign-for-k",
    ],
)
def test_fail_an_image_outside_the_tenants_ecr_whatever_spelling_comes_close(image: str) -> None:
    assert image_verdict(image) == ([REGISTRY_DENIED], [])


# ---------------------------------------------------------------- literal secrets (SEC-04)

ENV_POLICY = "mlops-sec-04-no-literal-secrets"
ENV_DENIED = (
    "SEC-04: a container env var (env[*].value) has a literal value that looks like a credential or sits "
    "under a secret-suggesting name; required: valueFrom.secretKeyRef (or a mounted Secret volume)"
)
EXPANSION_DENIED = (
    "SEC-04: a container env var (env[*].value) expands $(NAME) of another env var of the container that "
    "has a literal value, and so holds a literal that looks like a credential or sits under a "
    "secret-suggesting name; required: valueFrom.secretKeyRef for the expanded variable (or a mounted "
    "Secret volume)"
)


def env_verdict(spec: dict[str, Any]) -> tuple[list[str], list[str]]:
    policy = next(p for p in stack_policies() if p.name == ENV_POLICY)
    verdict = admit(policy, Request(fx.workload("Job", spec)))
    return verdict.denials, verdict.errors


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("UNK_TOKEN", "[UNK]"), ("MASK_TOKEN", "[MASK]"), ("CLS_TOKEN", "[CLS]"), ("SEP_TOKEN", "[SEP]"),
        ("PAD_TOKEN", "[PAD]"), ("BOS_TOKEN", "<s>"), ("TOKEN_BUDGET", "1000"),
        ("PASSWORD_HASH_ALGO", "bcrypt"), ("ACCESS_KEY_ROTATION_DAYS", "30"), ("MAX_TOKENS", "512"),
        ("MAX_TOKEN", "512"),
    ],
)  # fmt: skip
def test_pass_ml_settings_under_token_and_secret_setting_names_are_admitted(name: str, value: str) -> None:
    assert env_verdict(fx.env_spec(name, value)) == ([], [])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OPENAI_API_KEY", fx.FAKE_SK), ("ANTHROPIC_API_KEY", "sk-ant-api03-" + "b" * 20 + "7"),
        ("HF_TOKEN", fx.FAKE_HF), ("KEY_VALUE", fx.AWS_EXAMPLE_KEY), ("GH_TOKEN", fx.FAKE_GITHUB),
        ("PGPASSWORD", "hunter2"), ("JUPYTER_TOKEN", "c8de56fa4deed24899803e9"), ("HF_TOKEN", "12345678"),
        ("DB_PASSWORD", "1234"), ("SECRET_TOKEN", "[PAD]"), ("DB_PWD", "hunter2"),
        ("DATABASE_URL", "postgres://app:$s3cr3t@db/x"), ("REDIS_URL", "redis://:s3cr3t@cache:6379"),
    ],
)  # fmt: skip
def test_fail_credentials_and_literals_under_secret_names_are_denied_without_echoing_them(
    name: str, value: str
) -> None:
    assert env_verdict(fx.env_spec(name, value)) == ([ENV_DENIED], [])


@pytest.mark.parametrize(
    "entries",
    [
        (("X", "hunter2"), ("DB_PASSWORD", "$(X)")),
        (("P", "s3cr3t"), ("DATABASE_URL", "postgres://app:$(P)@db/x")),
        (("X", "hunter2"), ("Y", "$(X)"), ("DB_PASSWORD", "$(Y)")),
        (("P", "s3cr3t"), ("JDBC_OPTS", "user=app;password=$(P)")),
        (("K", "hunter"), ("DB_PASSWORD", "$(K)$(FROM_ENV_FROM)")),
        (("DB_PASSWORD", "$(X)"), ("X", "hunter2")),
    ],
    ids=["password", "url-password", "chain", "password-assignment", "partial", "defined-later"],
)
def test_fail_a_literal_routed_through_dependent_expansion_is_denied(
    entries: tuple[tuple[str, str], ...],
) -> None:
    assert env_verdict(fx.envs_spec(*entries)) == ([EXPANSION_DENIED], [])


def test_fail_an_escape_before_an_expanded_literal_is_denied_as_written_and_expanded() -> None:
    # `$$$(P)` is a `$` then P's value to kubelet; as written, not a bare $(VAR), so a literal too.
    spec = fx.envs_spec(("P", "s3cr3t"), ("DATABASE_URL", "postgres://app:$$$(P)@db/x"))
    assert env_verdict(spec) == ([ENV_DENIED, EXPANSION_DENIED], [])


def test_pass_a_url_expanding_a_literal_user_and_host_around_a_secret_backed_password() -> None:
    env = [
        {"name": "DB_USER", "value": "app"},
        {"name": "DB_HOST", "value": "db.acme-dev.svc"},
        {"name": "DB_PASS", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
        {"name": "DATABASE_URL", "value": "postgres://$(DB_USER):$(DB_PASS)@$(DB_HOST)/x"},
    ]
    assert env_verdict(fx.pod_spec(containers=[fx.container(env=env)])) == ([], [])


def test_pass_an_escaped_reference_to_a_literal_is_not_expanded() -> None:
    assert env_verdict(fx.envs_spec(("P", "s3cr3t"), ("GREETING", "echo $$(P)"))) == ([], [])


def test_pass_a_container_with_eighty_literal_env_vars_and_twenty_expanding_ones_is_judged() -> None:
    entries = [(f"V{i}", f"value-{i}") for i in range(80)]
    entries += [(f"URL{i}", f"https://$(V{i})/$(V{79 - i})") for i in range(20)]
    assert env_verdict(fx.envs_spec(*entries)) == ([], [])
