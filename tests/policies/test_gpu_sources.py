"""Classes 1, 5 and 6 across GPU, PROV-06 and SEC-04: other kinds, defaults, GPUs from data.

Rules are looked up by policy name, so these tests follow them wherever their module lives. One
compliant baseline per kind, one change per failing case, plus compliant variants that must pass.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from landingzone.gpu import instance_family, is_gpu_instance_type, load_catalog
from mlops_policies.packs import all_rules
from tests.policies.harness import GLOBEX, Res, changed, run_resource, run_stack

RULES = {rule.name: rule for rule in all_rules()}
pods_unprivileged = RULES["gpu-06-pods-unprivileged"]
pods_off_the_host = RULES["gpu-06-pods-off-the-host"]
gpu_pods_on_tenant_nodes = RULES["gpu-06-gpu-pods-on-tenant-nodes"]
images_pinned_by_digest = RULES["prov-06-images-pinned-by-digest"]
k8s_env_secrets = RULES["sec-04-k8s-env-secrets"]
node_group_tenant_taint = RULES["gpu-01-node-group-tenant-taint"]
launch_template_node_groups_pinned = RULES["gpu-01-launch-template-node-groups"]
launch_template_node_groups_partitioned = RULES["gpu-02-launch-template-node-groups"]
launch_template_node_groups_dedicated = RULES["gpu-03-launch-template-node-groups"]
launch_template_node_groups_bounded = RULES["gpu-04-launch-template-node-groups"]
launch_template_node_groups_no_remote_access = RULES["gpu-05-launch-template-node-groups"]

DIGEST = "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/trainer@sha256:" + "a" * 64
SAFE_CONTEXT = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": True}
CONTAINER = {"name": "main", "image": DIGEST, "securityContext": SAFE_CONTEXT}
POD_SPEC: dict[str, Any] = {"containers": [CONTAINER], "automountServiceAccountToken": False}
METADATA = {"name": "trainer", "namespace": "acme-train", "labels": {"tenant": "acme"}}
REPLICA_SET = "kubernetes:apps/v1:ReplicaSet"
RC = "kubernetes:core/v1:ReplicationController"
DEPLOYMENT_PATCH = "kubernetes:apps/v1:DeploymentPatch"
CRON_JOB_PATCH = "kubernetes:batch/v1:CronJobPatch"
CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup"


def template(kind_spec: dict[str, Any]) -> dict[str, Any]:
    return {"metadata": METADATA, "spec": {"template": {"spec": kind_spec}}}


REPLICA_SET_PROPS = template(POD_SPEC)


# ---------------------------------------------------------------- class 5: defaults (GPU-06)


def test_pass_replica_set_turning_privilege_escalation_off():
    assert run_resource(pods_unprivileged, REPLICA_SET, REPLICA_SET_PROPS).passed


def test_fail_replica_set_leaving_allow_privilege_escalation_unset_gets_the_default_true():
    props = changed(
        REPLICA_SET_PROPS, "spec.template.spec.containers.0.securityContext", {"runAsNonRoot": True}
    )
    assert run_resource(pods_unprivileged, REPLICA_SET, props).violations == [
        "kubernetes:apps/v1:ReplicaSet 'subject' has spec.template.spec.containers[0].securityContext."
        "allowPrivilegeEscalation not set (Kubernetes default: true); required: false"
    ]


def test_fail_container_without_security_context_gets_the_default_true():
    props = changed(REPLICA_SET_PROPS, "spec.template.spec.containers.0", {"name": "main", "image": DIGEST})
    assert run_resource(pods_unprivileged, REPLICA_SET, props).violations == [
        "kubernetes:apps/v1:ReplicaSet 'subject' has spec.template.spec.containers[0].securityContext."
        "allowPrivilegeEscalation not set (Kubernetes default: true); required: false"
    ]


def test_pass_patch_leaving_allow_privilege_escalation_unset_keeps_the_live_value():
    props = changed(
        REPLICA_SET_PROPS, "spec.template.spec.containers.0.securityContext", {"runAsNonRoot": True}
    )
    assert run_resource(pods_unprivileged, DEPLOYMENT_PATCH, props).passed


def test_fail_patch_setting_allow_privilege_escalation_true():
    props = changed(
        REPLICA_SET_PROPS, "spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation", True
    )
    assert run_resource(pods_unprivileged, DEPLOYMENT_PATCH, props).violations == [
        "kubernetes:apps/v1:DeploymentPatch 'subject' has spec.template.spec.containers[0].securityContext."
        "allowPrivilegeEscalation true; required: false"
    ]


# ---------------------------------------------------------------- class 1: every pod-template kind


def test_fail_replication_controller_with_host_network():
    props = changed(REPLICA_SET_PROPS, "spec.template.spec.hostNetwork", True)
    assert run_resource(pods_off_the_host, RC, props).violations == [
        "kubernetes:core/v1:ReplicationController 'subject' has spec.template.spec.hostNetwork true; "
        "required: false or absent"
    ]


def test_pass_replication_controller_with_a_digest_pinned_image():
    assert run_resource(images_pinned_by_digest, RC, REPLICA_SET_PROPS).passed


def test_fail_replication_controller_with_a_tagged_image():
    props = changed(REPLICA_SET_PROPS, "spec.template.spec.containers.0.image", "trainer:latest")
    assert run_resource(images_pinned_by_digest, RC, props).violations == [
        "kubernetes:core/v1:ReplicationController 'subject' has spec.template.spec.containers[0].image "
        "'trainer:latest'; required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
    ]


def test_fail_cron_job_patch_with_a_literal_token():
    spec = copy.deepcopy(POD_SPEC)
    spec["containers"][0]["env"] = [{"name": "HF_TOKEN", "value": "Not-A-Real-Token-42"}]
    props = {"metadata": METADATA, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
    outcome = run_resource(k8s_env_secrets, CRON_JOB_PATCH, props)
    assert outcome.violations == [
        "kubernetes:batch/v1:CronJobPatch 'subject' container 'main' "
        "(spec.jobTemplate.spec.template.spec.containers[0]) env 'HF_TOKEN' has a literal value under a name "
        "that suggests a secret (TOKEN); required: valueFrom.secretKeyRef (or a mounted Secret volume)"
    ]


def test_fail_replica_set_requesting_gpus_off_tenant_nodes():
    props = changed(
        REPLICA_SET_PROPS, "spec.template.spec.containers.0.resources", {"limits": {"nvidia.com/gpu": 1}}
    )
    assert run_resource(
        gpu_pods_on_tenant_nodes, REPLICA_SET, props, tenant={"tier": "standard"}
    ).violations == [
        "kubernetes:apps/v1:ReplicaSet 'subject': stack config landingzone:tenant.id is missing; required to "
        "judge the GPU pod's node selection"
    ]
    assert run_resource(gpu_pods_on_tenant_nodes, REPLICA_SET, props).violations == [
        "kubernetes:apps/v1:ReplicaSet 'subject' requests spec.template.spec.containers[0].resources.limits."
        "nvidia.com/gpu but has spec.template.spec.nodeSelector.tenant missing; required: 'acme' (or "
        "required node affinity tenant In ['acme'])"
    ]


MANIFEST = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: acme-dev}
spec:
  template:
    spec:
      containers:
      - name: web
        image: %s
        securityContext: {allowPrivilegeEscalation: false, privileged: %s}
"""


def test_pass_inline_manifest_of_a_config_group_with_an_unprivileged_deployment():
    props = {"yaml": MANIFEST % (DIGEST, "false")}
    assert run_resource(pods_unprivileged, CONFIG_GROUP, props).passed


def test_fail_inline_manifest_of_a_config_group_with_a_privileged_deployment():
    outcome = run_resource(pods_unprivileged, CONFIG_GROUP, {"yaml": MANIFEST % (DIGEST, "true")})
    assert outcome.violations == [
        "kubernetes:yaml/v2:ConfigGroup 'subject' has yaml[0] document 1 (Deployment 'web').spec.template."
        "spec.containers[0].securityContext.privileged true; required: false or absent"
    ]


# ---------------------------------------------------------------- class 6: GPUs from the catalog


@pytest.mark.parametrize(
    ("instance_type", "is_gpu"),
    [
        ("gr6.4xlarge", True),
        ("gr6f.4xlarge", True),
        ("g6f.large", True),
        ("p6-b200.48xlarge", True),
        ("g5g.xlarge", True),
        ("g4ad.xlarge", True),
        ("m7i.large", False),
        ("r7g.large", False),
        ("inf2.xlarge", False),
    ],
)
def test_gpu_families_come_from_the_catalog(instance_type, is_gpu):
    assert is_gpu_instance_type(instance_type) is is_gpu


def test_every_catalog_instance_type_belongs_to_a_catalog_gpu_family():
    catalog = load_catalog()
    assert {instance_family(name) for name in catalog.instance_types} <= set(catalog.families)


GROUP: dict[str, Any] = {
    "clusterName": "acme-cluster",
    "amiType": "AL2023_x86_64_STANDARD",
    "instanceTypes": ["gr6.4xlarge"],
    "labels": {"tenant": "acme", "gpu-sharing": "dedicated"},
    "taints": [{"key": "tenant", "value": "acme", "effect": "NO_SCHEDULE"}],
    "scalingConfig": {"minSize": 0, "maxSize": 2, "desiredSize": 0},
}


def test_pass_gr6_node_group_with_the_tenant_taint():
    assert run_resource(node_group_tenant_taint, "aws:eks/nodeGroup:NodeGroup", GROUP).passed


def test_fail_gr6_node_group_without_the_tenant_taint_is_a_gpu_group():
    outcome = run_resource(
        node_group_tenant_taint, "aws:eks/nodeGroup:NodeGroup", changed(GROUP, "taints", [])
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has taints missing; required: {key: 'tenant', value: 'acme', "
        "effect: 'NO_SCHEDULE'}"
    ]


# ---------------------------------------------------------------- class 6: the type only in launch templates

LT = "aws:ec2/launchTemplate:LaunchTemplate"
NG = "aws:eks/nodeGroup:NodeGroup"
ORIGIN = f"{NG} 'gpu' (instance type 'gr6.4xlarge' from {LT} 'lt')"


def typed_by_template(group_changes: dict[str, Any], instance_type: str = "gr6.4xlarge") -> list[Res]:
    group = {k: v for k, v in GROUP.items() if k != "instanceTypes"}
    group.update(group_changes)
    group["launchTemplate"] = {"id": "lt-1", "version": "1"}
    return [
        Res(LT, "lt", {"instanceType": instance_type}),
        Res(
            NG, "gpu", {k: v for k, v in group.items() if v is not None}, prop_deps={"launchTemplate": ["lt"]}
        ),
    ]


def test_pass_group_typed_by_its_launch_template_with_taint_label_and_dedicated_gpus():
    for rule in (
        launch_template_node_groups_pinned,
        launch_template_node_groups_partitioned,
        launch_template_node_groups_bounded,
        launch_template_node_groups_no_remote_access,
    ):
        assert run_stack(rule, typed_by_template({})).passed, rule.name
    outcome = run_stack(launch_template_node_groups_dedicated, typed_by_template({}), tenant=GLOBEX)
    assert outcome.passed


def test_pass_cpu_launch_template_types_a_cpu_group_that_is_not_judged():
    stack = typed_by_template({"taints": None, "labels": None}, instance_type="m7i.large")
    assert run_stack(launch_template_node_groups_pinned, stack).passed


def test_fail_group_typed_by_its_launch_template_without_taint_or_label():
    outcome = run_stack(
        launch_template_node_groups_pinned, typed_by_template({"taints": None, "labels": None})
    )
    assert outcome.violations == [
        f"{ORIGIN} has labels.tenant missing; required: 'acme'",
        f"{ORIGIN} has taints missing; required: {{key: 'tenant', value: 'acme', effect: 'NO_SCHEDULE'}}",
    ]


def test_fail_group_typed_by_its_launch_template_with_time_slicing():
    labels = {**GROUP["labels"], "nvidia.com/gpu.sharing-strategy": "time-slicing"}
    outcome = run_stack(launch_template_node_groups_partitioned, typed_by_template({"labels": labels}))
    assert outcome.violations == [
        f"{ORIGIN} has label 'nvidia.com/gpu.sharing-strategy' configuring time-slicing; required: whole "
        "GPUs or MIG partitions"
    ]


def test_fail_group_typed_by_its_launch_template_of_a_regulated_tenant_sharing_by_mig():
    labels = {"tenant": "globex", "gpu-sharing": "mig"}
    outcome = run_stack(
        launch_template_node_groups_dedicated, typed_by_template({"labels": labels}), tenant=GLOBEX
    )
    assert outcome.violations == [
        f"{ORIGIN} has labels.gpu-sharing 'mig'; required for a regulated tenant: 'dedicated'"
    ]


def test_fail_group_typed_by_its_launch_template_above_the_size_limit_and_with_ssh():
    stack = typed_by_template({"scalingConfig": {"maxSize": 40}, "remoteAccess": {"ec2SshKey": "ops"}})
    assert run_stack(launch_template_node_groups_bounded, stack).violations == [
        f"{ORIGIN} has scalingConfig.maxSize 40; required: at most 16"
    ]
    assert run_stack(launch_template_node_groups_no_remote_access, stack).violations == [
        f"{ORIGIN} has remoteAccess set; required: no remoteAccess (no SSH to GPU nodes)"
    ]
