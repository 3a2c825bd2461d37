"""The hoster checklist's pilot, executable: each attempt is rejected at admission with the control's message.

"Jobs that request disallowed GPUs, mount forbidden volumes, or attempt unapproved egress are rejected
automatically." Each test sends what a tenant would `kubectl apply` into acme-dev through the acme
cluster's admission policies (cel-cpp evaluating the generated CEL) and asserts the exact denial.
docs/admission.md shows how an operator rehearses the same pilot on a live cluster.
"""

from __future__ import annotations

from typing import Any

from components.incident import DENY_ALL_POLICY as QUARANTINE_DENY_ALL
from tests.admission import fixtures as fx
from tests.admission.engine import Request, admit_all
from tests.admission.layers import stack_policies

NODES = (
    "GPU-06: a pod spec requesting nvidia.com/gpu or nvidia.com/mig-* must select the tenant's nodes; "
    "required: nodeSelector tenant=acme (or a required node affinity tenant In [acme] in every term)"
)


def denials(obj: dict[str, Any], **request: Any) -> list[str]:
    verdicts = admit_all(list(stack_policies()), Request(obj, **request))
    assert all(not v.errors for v in verdicts.values())
    return [message for verdict in verdicts.values() for message in verdict.denials]


def training_job(**spec_changes: Any) -> dict[str, Any]:
    spec = fx.gpu_spec(**spec_changes)
    return fx.workload("Job", spec, name="finetune")


def test_pass_a_compliant_gpu_training_job_is_admitted() -> None:
    assert denials(training_job()) == []


def test_fail_an_unauthorized_gpu_request_off_the_tenant_nodes() -> None:
    job = training_job(nodeSelector={"tenant": "globex"}, tolerations=[{"operator": "Exists"}])
    assert denials(job) == [
        NODES,
        "GPU-06: a pod spec requesting nvidia.com/gpu or nvidia.com/mig-* has tolerations beyond the "
        "tenant's taint; "
        "required: only the toleration tenant=acme (operator Equal), besides those kube-apiserver adds "
        "(node.kubernetes.io/not-ready and node.kubernetes.io/unreachable: Exists, NoExecute; an extended "
        "resource the pod requests: Exists, NoSchedule)",
    ]


def test_fail_a_dra_resource_claim_off_the_tenant_nodes() -> None:
    claim = [{"name": "gpu", "resourceClaimTemplateName": "one-h100"}]
    spec = fx.pod_spec(
        resourceClaims=claim, containers=[fx.container(resources={"claims": [{"name": "gpu"}]})]
    )
    assert denials(fx.workload("Pod", spec)) == [
        "GPU-06: a pod spec with resourceClaims (DRA devices) must select the tenant's nodes; "
        "required: nodeSelector "
        "tenant=acme (or a required node affinity tenant In [acme] in every term)"
    ]


def test_fail_a_forbidden_host_path_volume() -> None:
    job = training_job(volumes=[{"name": "host", "hostPath": {"path": "/var/lib/kubelet"}}])
    assert denials(job) == [
        "GPU-06: the pod spec has a hostPath volume (spec.volumes[*].hostPath); required: no "
        "hostPath volumes (use a "
        "PersistentVolumeClaim or emptyDir)"
    ]


def test_fail_an_unpinned_image_the_failed_promotion_gate() -> None:
    job = training_job(
        containers=[fx.container(image=f"{fx.REGISTRY}/acme/models:latest", resources=fx.GPU_LIMITS)]
    )
    assert denials(job) == [
        "PROV-06: a container's image is not pinned by digest; required: <repository>@sha256:<64 hex "
        "characters>"
    ]


def test_fail_a_foreign_image_even_when_pinned() -> None:
    job = training_job(
        containers=[fx.container(image=f"docker.io/library/python@{fx.DIGEST}", resources=fx.GPU_LIMITS)]
    )
    assert denials(job) == [
        "PROV-06: a container's image is not from the tenant's ECR repositories; required: one of "
        "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/models, "
        "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/serving"
    ]


def test_fail_a_literal_secret_in_a_job() -> None:
    env = [{"name": "WANDB_API_KEY", "value": "0123456789abcdef"}]
    job = training_job(containers=[fx.container(env=env, resources=fx.GPU_LIMITS)])
    assert denials(job) == [
        "SEC-04: a container env var (env[*].value) has a literal value that looks like a credential "
        "or sits under a "
        "secret-suggesting name; required: valueFrom.secretKeyRef (or a mounted Secret volume)"
    ]


def network_policy(egress: list[dict[str, Any]], name: str = "allow-hub") -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": fx.NAMESPACE, "labels": {"tenant": fx.TENANT}},
        "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": egress},
    }


def test_fail_a_network_policy_opening_egress_to_the_internet() -> None:
    policy = network_policy([{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 443}]}])
    assert denials(policy) == [
        "DATA-07: a NetworkPolicy egress ipBlock (spec.egress[*].to[*].ipBlock.cidr) is not in the "
        "tenant VPC or "
        "network.egress_allowlist; required: one of 10.1.0.0/16"
    ]


def test_fail_a_network_policy_opening_egress_to_every_destination() -> None:
    assert denials(network_policy([{"ports": [{"port": 443}]}])) == [
        "DATA-07: a NetworkPolicy egress rule has no `to` (spec.egress[*].to), which allows every "
        "destination; "
        "required: named peers"
    ]


def test_fail_a_network_policy_opening_egress_to_another_tenant() -> None:
    peer = {"namespaceSelector": {"matchLabels": {"tenant": "globex"}}}
    assert denials(network_policy([{"to": [peer]}])) == [
        "DATA-07: a NetworkPolicy egress namespaceSelector (spec.egress[*].to[*].namespaceSelector) "
        "selects namespaces "
        "outside the tenant; required: matchLabels naming the tenant's namespaces (acme-dev, "
        "acme-train, acme-prod), "
        "label tenant=acme, or kube-system"
    ]


def test_fail_a_tenant_loosening_the_default_deny_policy() -> None:
    loosened = network_policy(
        [{"to": [{"namespaceSelector": {"matchLabels": {"tenant": "acme"}}}]}], "default-deny"
    )
    assert denials(loosened, operation="UPDATE", old_object=loosened) == [
        "TEN-06: ResourceQuotas, LimitRanges and the NetworkPolicies default-deny and quarantine-deny-all "
        "are managed by the platform only (request.userInfo.username); required: a session of "
        "arn:aws:iam::111122223333:role/platform-admin"
    ]


def test_fail_a_tenant_deleting_the_quarantine_policy_to_end_its_own_quarantine() -> None:
    deny_all = network_policy([], QUARANTINE_DENY_ALL)
    verdicts = admit_all(list(stack_policies()), Request(None, operation="DELETE", old_object=deny_all))
    assert verdicts["mlops-ten-06-platform-guardrails"].denied_keys == ["platform-only"]
