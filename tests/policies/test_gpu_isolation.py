"""GPU: one compliant fixture per resource type (and one compliant stack), one change per failing case."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies.controls.gpu_01.node_group_tenant_label import node_group_tenant_label
from mlops_policies.controls.gpu_01.node_group_tenant_taint import node_group_tenant_taint
from mlops_policies.controls.gpu_02.node_group_mig_layout import node_group_mig_layout
from mlops_policies.controls.gpu_02.node_group_no_time_slicing import node_group_no_time_slicing
from mlops_policies.controls.gpu_02.node_group_sharing_mode import node_group_sharing_mode
from mlops_policies.controls.gpu_03.regulated_dedicated_gpus import regulated_dedicated_gpus
from mlops_policies.controls.gpu_04.namespace_gpu_quota import namespace_gpu_quota
from mlops_policies.controls.gpu_04.node_group_max_size import node_group_max_size
from mlops_policies.controls.gpu_05.node_group_encrypted_disks import node_group_encrypted_disks
from mlops_policies.controls.gpu_05.node_group_imdsv2 import node_group_imdsv2
from mlops_policies.controls.gpu_05.node_group_no_remote_access import node_group_no_remote_access
from mlops_policies.controls.gpu_06.gpu_pods_on_tenant_nodes import gpu_pods_on_tenant_nodes
from mlops_policies.controls.gpu_06.gpu_pods_tolerate_only_tenant import gpu_pods_tolerate_only_tenant
from mlops_policies.controls.gpu_06.pods_off_the_host import pods_off_the_host
from mlops_policies.controls.gpu_06.pods_unprivileged import pods_unprivileged
from tests.policies.harness import (
    ACME,
    DELETE,
    GLOBEX,
    UNKNOWN,
    Res,
    area_rules,
    changed,
    run_resource,
    run_stack,
)

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
KEY = "aws:kms/key:Key"
NAMESPACE = "kubernetes:core/v1:Namespace"
QUOTA = "kubernetes:core/v1:ResourceQuota"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
POD = "kubernetes:core/v1:Pod"
CRON_JOB = "kubernetes:batch/v1:CronJob"
TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}

MIG_GROUP: dict[str, Any] = {
    "clusterName": "acme-cluster",
    "nodeRoleArn": "arn:aws:iam::111122223333:role/acme-gpu-nodes",
    "subnetIds": ["subnet-1"],
    "instanceTypes": ["p4de.24xlarge"],
    "amiType": "AL2023_x86_64_NVIDIA",
    "labels": {"tenant": "acme", "gpu-sharing": "mig", "nvidia.com/mig.config": "all-3g.40gb"},
    "taints": [{"key": "tenant", "value": "acme", "effect": "NO_SCHEDULE"}],
    "scalingConfig": {"minSize": 0, "maxSize": 4, "desiredSize": 0},
    "launchTemplate": {"id": UNKNOWN, "version": "1"},
    "tags": TAGS,
}
DEDICATED_GROUP = {
    **MIG_GROUP,
    "instanceTypes": ["p5.48xlarge"],
    "labels": {"tenant": "globex", "gpu-sharing": "dedicated"},
    "taints": [{"key": "tenant", "value": "globex", "effect": "NO_SCHEDULE"}],
}
CPU_GROUP = {**MIG_GROUP, "instanceTypes": ["m7i.2xlarge"], "amiType": "AL2023_x86_64_STANDARD", "labels": {}}


def labels(**extra: Any) -> dict[str, Any]:
    return changed(MIG_GROUP, "labels", {**MIG_GROUP["labels"], **extra})


# ---------------------------------------------------------------- GPU-01


def test_pass_gpu_node_group_with_tenant_taint_and_label():
    assert run_resource(node_group_tenant_taint, NODE_GROUP, MIG_GROUP).passed
    assert run_resource(node_group_tenant_label, NODE_GROUP, MIG_GROUP).passed


def test_fail_missing_taint_names_the_required_taint():
    outcome = run_resource(node_group_tenant_taint, NODE_GROUP, changed(MIG_GROUP, "taints", DELETE))
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has taints missing; required: {key: 'tenant', value: 'acme', "
        "effect: 'NO_SCHEDULE'}"
    ]


def test_fail_taint_of_another_tenant_or_a_weaker_effect():
    other = changed(MIG_GROUP, "taints.0.value", "globex")
    assert (
        "has taints tenant=globex:NO_SCHEDULE;"
        in run_resource(node_group_tenant_taint, NODE_GROUP, other).violations[0]
    )
    weaker = changed(MIG_GROUP, "taints.0.effect", "PREFER_NO_SCHEDULE")
    assert run_resource(node_group_tenant_taint, NODE_GROUP, weaker).violations


def test_fail_missing_tenant_label():
    outcome = run_resource(node_group_tenant_label, NODE_GROUP, changed(MIG_GROUP, "labels.tenant", DELETE))
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.tenant missing; required: 'acme'"
    ]


def test_pass_cpu_node_groups_are_not_judged():
    assert run_resource(node_group_tenant_taint, NODE_GROUP, changed(CPU_GROUP, "taints", DELETE)).passed


def test_fail_nvidia_ami_makes_a_group_without_instance_types_a_gpu_group():
    props = changed(changed(MIG_GROUP, "instanceTypes", DELETE), "taints", [])
    assert run_resource(node_group_tenant_taint, NODE_GROUP, props).violations


def test_undecided_unknown_instance_types_on_a_standard_ami():
    props = changed(CPU_GROUP, "instanceTypes", UNKNOWN)
    outcome = run_resource(node_group_tenant_taint, NODE_GROUP, props)
    assert outcome.undecided is not None and outcome.violations == []


def test_fail_stack_without_tenant_id_cannot_pin_gpu_nodes():
    outcome = run_resource(node_group_tenant_label, NODE_GROUP, MIG_GROUP, tenant={"tier": "standard"})
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject': stack config landingzone:tenant.id is missing; required to "
        "judge the GPU node group's tenant label"
    ]


# ---------------------------------------------------------------- GPU-02


def test_pass_mig_group_with_a_catalog_layout():
    assert run_resource(node_group_sharing_mode, NODE_GROUP, MIG_GROUP).passed
    assert run_resource(node_group_mig_layout, NODE_GROUP, MIG_GROUP).passed
    assert run_resource(node_group_no_time_slicing, NODE_GROUP, MIG_GROUP).passed


def test_pass_dedicated_group_with_mig_disabled():
    props = changed(
        DEDICATED_GROUP, "labels", {"gpu-sharing": "dedicated", "nvidia.com/mig.config": "all-disabled"}
    )
    assert run_resource(node_group_mig_layout, NODE_GROUP, props).passed


def test_fail_missing_sharing_mode():
    outcome = run_resource(
        node_group_sharing_mode, NODE_GROUP, changed(MIG_GROUP, "labels.gpu-sharing", DELETE)
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.gpu-sharing missing; required: 'dedicated' or 'mig'"
    ]


def test_fail_layout_of_another_gpu_model_lists_the_allowed_layouts():
    outcome = run_resource(
        node_group_mig_layout, NODE_GROUP, labels(**{"nvidia.com/mig.config": "all-1g.5gb"})
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has gpu-sharing 'mig' and labels.nvidia.com/mig.config "
        "'all-1g.5gb', not a layout of A100-80GB (p4de.24xlarge); allowed: all-balanced, all-1g.10gb, "
        "all-1g.20gb, all-2g.20gb, all-3g.40gb, all-4g.40gb, all-7g.80gb"
    ]


def test_fail_mig_on_a_gpu_without_mig():
    props = changed(MIG_GROUP, "instanceTypes", ["g6e.xlarge"])
    assert run_resource(node_group_mig_layout, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has gpu-sharing 'mig' and instance type 'g6e.xlarge' with "
        "L40S-48GB GPUs, which have no MIG; use 'dedicated'"
    ]


def test_fail_mig_on_an_instance_type_the_catalog_does_not_know():
    props = changed(MIG_GROUP, "instanceTypes", ["p4de.24xlarge", "p6-b200.48xlarge"])
    outcome = run_resource(node_group_mig_layout, NODE_GROUP, props)
    assert len(outcome.violations) == 1
    assert (
        "'p6-b200.48xlarge', not in the GPU catalog, so 'all-3g.40gb' cannot be proven valid"
        in outcome.violations[0]
    )


def test_fail_layout_valid_for_one_instance_type_of_the_group_only():
    props = changed(MIG_GROUP, "instanceTypes", ["p4de.24xlarge", "p4d.24xlarge"])
    outcome = run_resource(node_group_mig_layout, NODE_GROUP, props)
    assert (
        len(outcome.violations) == 1 and "not a layout of A100-40GB (p4d.24xlarge)" in outcome.violations[0]
    )


def test_fail_mig_with_all_disabled_or_no_layout():
    disabled = run_resource(
        node_group_mig_layout, NODE_GROUP, labels(**{"nvidia.com/mig.config": "all-disabled"})
    )
    assert disabled.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has gpu-sharing 'mig' and labels.nvidia.com/mig.config "
        "'all-disabled'; required: a MIG layout such as 'all-balanced'"
    ]
    missing = changed(MIG_GROUP, "labels", {"tenant": "acme", "gpu-sharing": "mig"})
    assert run_resource(node_group_mig_layout, NODE_GROUP, missing).violations


def test_fail_dedicated_group_with_a_mig_layout():
    props = changed(MIG_GROUP, "labels.gpu-sharing", "dedicated")
    assert run_resource(node_group_mig_layout, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.gpu-sharing 'dedicated' with "
        "labels.nvidia.com/mig.config 'all-3g.40gb'; required: no MIG layout or 'all-disabled'"
    ]


def test_fail_time_slicing_device_plugin_config():
    props = labels(**{"nvidia.com/device-plugin.config": "a100-time-sliced-4"})
    assert run_resource(node_group_no_time_slicing, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has label 'nvidia.com/device-plugin.config' configuring "
        "time-slicing; required: whole GPUs or MIG partitions"
    ]


def test_fail_mps_sharing_strategy_and_time_slicing_sharing_mode():
    mps = labels(**{"nvidia.com/gpu.sharing-strategy": "mps"})
    assert "configuring MPS" in run_resource(node_group_no_time_slicing, NODE_GROUP, mps).violations[0]
    sliced = labels(**{"gpu-sharing": "time-slicing"})
    assert run_resource(node_group_no_time_slicing, NODE_GROUP, sliced).violations
    assert run_resource(node_group_sharing_mode, NODE_GROUP, sliced).violations


def test_pass_words_containing_mps_are_not_mps():
    assert run_resource(node_group_no_time_slicing, NODE_GROUP, labels(team="lamps")).passed


def test_undecided_unknown_sharing_mode():
    outcome = run_resource(
        node_group_sharing_mode, NODE_GROUP, changed(MIG_GROUP, "labels.gpu-sharing", UNKNOWN)
    )
    assert outcome.undecided is not None and outcome.violations == []


# ---------------------------------------------------------------- GPU-03


def test_pass_regulated_tenant_with_whole_gpus():
    assert run_resource(regulated_dedicated_gpus, NODE_GROUP, DEDICATED_GROUP, tenant=GLOBEX).passed


def test_fail_regulated_tenant_with_mig():
    props = changed(DEDICATED_GROUP, "labels.gpu-sharing", "mig")
    assert run_resource(regulated_dedicated_gpus, NODE_GROUP, props, tenant=GLOBEX).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has labels.gpu-sharing 'mig'; required for a regulated "
        "tenant: 'dedicated'"
    ]


def test_not_applicable_standard_tenant_may_use_mig():
    outcome = run_resource(regulated_dedicated_gpus, NODE_GROUP, MIG_GROUP, tenant=ACME)
    assert outcome.not_applicable == "GPU-03 applies to regulated tenants; tenant acme is standard"


# ---------------------------------------------------------------- GPU-04


def test_pass_gpu_node_group_within_the_node_limit():
    assert run_resource(node_group_max_size, NODE_GROUP, MIG_GROUP).passed


def test_fail_gpu_node_group_above_the_node_limit():
    props = changed(MIG_GROUP, "scalingConfig.maxSize", 17)
    assert run_resource(node_group_max_size, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has scalingConfig.maxSize 17; required: at most 16"
    ]


def test_fail_configured_limit_and_missing_max_size():
    limited = run_resource(node_group_max_size, NODE_GROUP, MIG_GROUP, config={"maxGpuNodes": 2})
    assert limited.violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has scalingConfig.maxSize 4; required: at most 2"
    ]
    missing = changed(MIG_GROUP, "scalingConfig", DELETE)
    assert (
        "scalingConfig.maxSize missing"
        in run_resource(node_group_max_size, NODE_GROUP, missing).violations[0]
    )


def namespace(name: str) -> Res:
    return Res(NAMESPACE, name, {"metadata": {"name": name, "labels": {"tenant": "acme"}}})


HARD = {"requests.nvidia.com/gpu": "8", "requests.nvidia.com/mig-3g.40gb": "16", "requests.cpu": "64"}


def quota(name: str, ns: str, hard: dict[str, str] | None = None) -> Res:
    return Res(
        QUOTA, name, {"metadata": {"namespace": ns}, "spec": {"hard": dict(HARD if hard is None else hard)}}
    )


QUOTA_STACK = [
    Res(NODE_GROUP, "a100", MIG_GROUP),
    namespace("acme-dev"),
    namespace("acme-prod"),
    quota("dev-quota", "acme-dev"),
    quota("prod-quota", "acme-prod"),
]


def test_pass_every_namespace_bounds_gpus_and_mig_slices():
    assert run_stack(namespace_gpu_quota, QUOTA_STACK).passed


def test_fail_namespace_without_quota():
    outcome = run_stack(namespace_gpu_quota, QUOTA_STACK[:4])
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' has no ResourceQuota spec.hard requests.nvidia.com/gpu, "
        "requests.nvidia.com/mig-3g.40gb; required: requests.nvidia.com/gpu, requests.nvidia.com/mig-3g.40gb"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::kubernetes:core/v1:Namespace::acme-prod"]


def test_fail_quota_without_the_mig_profile_of_the_stacks_layout():
    stack = [*QUOTA_STACK[:4], quota("prod-quota", "acme-prod", {"requests.nvidia.com/gpu": "8"})]
    assert run_stack(namespace_gpu_quota, stack).violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' has no ResourceQuota spec.hard "
        "requests.nvidia.com/mig-3g.40gb; required: requests.nvidia.com/gpu, requests.nvidia.com/mig-3g.40gb"
    ]


def test_pass_without_mig_groups_only_whole_gpus_are_bounded():
    stack = [
        Res(NODE_GROUP, "h100", DEDICATED_GROUP),
        namespace("acme-dev"),
        quota("q", "acme-dev", {"requests.nvidia.com/gpu": "8"}),
    ]
    assert run_stack(namespace_gpu_quota, stack).passed


def test_fail_scoped_quota_does_not_bound_every_pod():
    scoped = quota("prod-quota", "acme-prod")
    scoped.props["spec"]["scopes"] = ["BestEffort"]  # type: ignore[index]
    assert run_stack(namespace_gpu_quota, [*QUOTA_STACK[:4], scoped]).violations


def test_pass_first_preview_quota_found_through_its_namespace_dependency():
    auto_named = Res(NAMESPACE, "acme-prod", {"metadata": {"labels": {"tenant": "acme"}}})
    pending = Res(
        QUOTA,
        "prod-quota",
        {"metadata": {"namespace": UNKNOWN}, "spec": {"hard": HARD}},
        prop_deps={"metadata": ["acme-prod"]},
    )
    assert run_stack(
        namespace_gpu_quota, [*QUOTA_STACK[:2], quota("dev-quota", "acme-dev"), auto_named, pending]
    ).passed


def test_undecided_quota_namespace_unknown_without_dependency_information():
    pending = Res(QUOTA, "prod-quota", {"metadata": {"namespace": UNKNOWN}, "spec": {"hard": HARD}})
    outcome = run_stack(namespace_gpu_quota, [*QUOTA_STACK[:4], pending])
    assert outcome.violations == []
    assert outcome.undecided is not None and "Namespace 'acme-prod'" in outcome.undecided


# ---------------------------------------------------------------- GPU-05

TEMPLATE = {
    "name": "acme-gpu-nodes",
    "metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 1, "httpEndpoint": "enabled"},
    "blockDeviceMappings": [
        {"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "kmsKeyId": UNKNOWN, "volumeSize": 200}}
    ],
    "tags": TAGS,
}


KEY_DEPS = {"blockDeviceMappings": ["acme-ebs"]}
TEMPLATE_DEPS = {"launchTemplate": ["gpu-template"]}


def node_stack(
    group: dict[str, Any] = MIG_GROUP,
    template: dict[str, Any] = TEMPLATE,
    group_deps: dict[str, list[str]] = TEMPLATE_DEPS,
    template_deps: dict[str, list[str]] = KEY_DEPS,
) -> list[Res]:
    """A first preview: the key ARN and launch template id are unknown; dependencies say what they are."""
    return [
        Res(KEY, "acme-ebs", {"enableKeyRotation": True, "tags": TAGS}),
        Res(LAUNCH_TEMPLATE, "gpu-template", template, prop_deps=dict(template_deps)),
        Res(NODE_GROUP, "a100", group, prop_deps=dict(group_deps)),
    ]


def test_pass_first_preview_launch_template_and_key_through_dependencies():
    assert run_stack(node_group_imdsv2, node_stack()).passed
    assert run_stack(node_group_encrypted_disks, node_stack()).passed


def test_fail_imds_v1_allowed():
    outcome = run_stack(
        node_group_imdsv2,
        node_stack(template=changed(TEMPLATE, "metadataOptions.httpTokens", "optional")),
    )
    assert outcome.violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup 'a100') has metadataOptions.httpTokens 'optional'; required: 'required'"
    ]


def test_fail_hop_limit_missing_or_two():
    for hops in (DELETE, 2):
        template = changed(TEMPLATE, "metadataOptions.httpPutResponseHopLimit", hops)
        violations = run_stack(node_group_imdsv2, node_stack(template=template)).violations
        assert len(violations) == 1 and "httpPutResponseHopLimit" in violations[0]


def test_fail_gpu_group_without_launch_template():
    outcome = run_stack(
        node_group_imdsv2, node_stack(group=changed(MIG_GROUP, "launchTemplate", DELETE), group_deps={})
    )
    assert outcome.violations == [
        "aws:eks/nodeGroup:NodeGroup 'a100' has launchTemplate missing; required: a "
        "aws:ec2/launchTemplate:LaunchTemplate of this stack"
    ]


def test_pass_launch_template_found_by_known_name():
    group = changed(MIG_GROUP, "launchTemplate", {"name": "acme-gpu-nodes", "version": "1"})
    assert run_stack(node_group_imdsv2, node_stack(group=group, group_deps={})).passed


def test_fail_launch_template_of_another_stack():
    group = changed(MIG_GROUP, "launchTemplate", {"name": "shared-gpu-nodes", "version": "1"})
    violations = run_stack(node_group_imdsv2, node_stack(group=group, group_deps={})).violations
    assert violations == [
        "aws:eks/nodeGroup:NodeGroup 'a100' has launchTemplate 'shared-gpu-nodes', not a launch template of "
        "this stack; required: a aws:ec2/launchTemplate:LaunchTemplate of this stack"
    ]


def test_undecided_launch_template_id_unknown_without_dependency():
    outcome = run_stack(node_group_imdsv2, node_stack(group_deps={}))
    assert outcome.violations == [] and outcome.undecided is not None
    assert "launchTemplate id/name is unknown" in outcome.undecided


def test_pass_cpu_groups_need_no_gpu_launch_template():
    assert run_stack(
        node_group_imdsv2, node_stack(group=changed(CPU_GROUP, "launchTemplate", DELETE), group_deps={})
    ).passed


def test_fail_gpu_instance_type_in_the_launch_template_makes_a_gpu_group():
    group = changed(changed(CPU_GROUP, "instanceTypes", DELETE), "amiType", "CUSTOM")
    template = changed(
        changed(TEMPLATE, "instanceType", "g6e.xlarge"), "metadataOptions.httpTokens", "optional"
    )
    assert run_stack(node_group_imdsv2, node_stack(group=group, template=template)).violations


def test_fail_unencrypted_disk():
    template = changed(TEMPLATE, "blockDeviceMappings.0.ebs.encrypted", "false")
    assert run_stack(node_group_encrypted_disks, node_stack(template=template)).violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'gpu-template' (launch template of "
        "aws:eks/nodeGroup:NodeGroup 'a100') has blockDeviceMappings[0].ebs.encrypted 'false'; required: "
        "'true'"
    ]


def test_fail_disk_encrypted_with_the_aws_managed_key():
    template = changed(TEMPLATE, "blockDeviceMappings.0.ebs.kmsKeyId", "alias/aws/ebs")
    violations = run_stack(
        node_group_encrypted_disks, node_stack(template=template, template_deps={})
    ).violations
    assert len(violations) == 1
    assert (
        "blockDeviceMappings[0].ebs.kmsKeyId 'alias/aws/ebs' (an AWS-managed key); required: a tenant key"
        in violations[0]
    )


def test_fail_no_block_device_mappings():
    template = changed(TEMPLATE, "blockDeviceMappings", DELETE)
    violations = run_stack(
        node_group_encrypted_disks, node_stack(template=template, template_deps={})
    ).violations
    assert len(violations) == 1 and "has no blockDeviceMappings[].ebs" in violations[0]


def test_undecided_disk_key_unknown_without_dependency():
    outcome = run_stack(node_group_encrypted_disks, node_stack(template_deps={}))
    assert outcome.violations == [] and outcome.undecided is not None


def test_fail_ssh_remote_access_on_gpu_nodes():
    props = changed(MIG_GROUP, "remoteAccess", {"ec2SshKey": "ops"})
    assert run_resource(node_group_no_remote_access, NODE_GROUP, props).violations == [
        "aws:eks/nodeGroup:NodeGroup 'subject' has remoteAccess set; required: no remoteAccess (no SSH to "
        "GPU nodes)"
    ]
    assert run_resource(node_group_no_remote_access, NODE_GROUP, MIG_GROUP).passed


# ---------------------------------------------------------------- GPU-06

POD_SPEC = {
    "nodeSelector": {"tenant": "acme"},
    "tolerations": [{"key": "tenant", "operator": "Equal", "value": "acme", "effect": "NoSchedule"}],
    "containers": [
        {
            "name": "train",
            "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/models@sha256:" + "a" * 64,
            "resources": {"limits": {"nvidia.com/mig-3g.40gb": "1"}},
            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
        }
    ],
}
WORKLOAD = {
    "metadata": {"namespace": "acme-dev", "labels": {"tenant": "acme"}},
    "spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "train"}}, "spec": POD_SPEC}},
}
PATH = "spec.template.spec"


def test_pass_gpu_deployment_pinned_to_tenant_nodes():
    for rule in (
        gpu_pods_on_tenant_nodes,
        gpu_pods_tolerate_only_tenant,
        pods_unprivileged,
        pods_off_the_host,
    ):
        assert run_resource(rule, DEPLOYMENT, WORKLOAD).passed, rule.name


def test_fail_gpu_pod_without_tenant_node_selector():
    props = changed(WORKLOAD, f"{PATH}.nodeSelector", DELETE)
    assert run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props).violations == [
        "kubernetes:apps/v1:Deployment 'subject' requests "
        "spec.template.spec.containers[0].resources.limits.nvidia.com/mig-3g.40gb but has "
        "spec.template.spec.nodeSelector.tenant missing; required: 'acme' (or required node affinity tenant "
        "In ['acme'])"
    ]


def test_pass_gpu_pod_pinned_by_required_node_affinity():
    term = {"matchExpressions": [{"key": "tenant", "operator": "In", "values": ["acme"]}]}
    props = changed(
        changed(WORKLOAD, f"{PATH}.nodeSelector", DELETE),
        f"{PATH}.affinity",
        {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}}},
    )
    assert run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props).passed


def test_fail_node_affinity_with_a_term_that_escapes_the_tenant():
    pinned = {"matchExpressions": [{"key": "tenant", "operator": "In", "values": ["acme"]}]}
    loose = {"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}
    props = changed(
        changed(WORKLOAD, f"{PATH}.nodeSelector", DELETE),
        f"{PATH}.affinity",
        {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [pinned, loose]}
            }
        },
    )
    assert run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props).violations


def test_pass_pods_without_gpus_need_no_tenant_selector():
    props = changed(changed(WORKLOAD, f"{PATH}.nodeSelector", DELETE), f"{PATH}.containers.0.resources", {})
    assert run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props).passed


def test_fail_toleration_of_every_taint():
    props = changed(WORKLOAD, f"{PATH}.tolerations", [{"operator": "Exists"}])
    assert run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, props).violations == [
        "kubernetes:apps/v1:Deployment 'subject' requests GPUs but spec.template.spec.tolerations[0] "
        "tolerates every taint; required: only tenant=acme"
    ]


def test_fail_toleration_of_another_tenant_or_any_tenant():
    other = changed(WORKLOAD, f"{PATH}.tolerations.0.value", "globex")
    assert (
        "tolerates tenant 'globex'"
        in run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, other).violations[0]
    )
    anyone = changed(WORKLOAD, f"{PATH}.tolerations", [{"key": "tenant", "operator": "Exists"}])
    assert (
        "every tenant's taint"
        in run_resource(gpu_pods_tolerate_only_tenant, DEPLOYMENT, anyone).violations[0]
    )


def test_fail_privileged_pod():
    props = {
        "metadata": {"namespace": "acme-dev"},
        "spec": changed(POD_SPEC, "containers.0.securityContext.privileged", True),
    }
    assert run_resource(pods_unprivileged, POD, props).violations == [
        "kubernetes:core/v1:Pod 'subject' has spec.containers[0].securityContext.privileged true; required: "
        "false or absent"
    ]


def test_fail_privilege_escalation_and_added_capabilities():
    props = changed(
        WORKLOAD,
        f"{PATH}.containers.0.securityContext",
        {"allowPrivilegeEscalation": True, "capabilities": {"add": ["SYS_ADMIN"]}},
    )
    assert run_resource(pods_unprivileged, DEPLOYMENT, props).violations == [
        "kubernetes:apps/v1:Deployment 'subject' has "
        "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation true; required: false",
        "kubernetes:apps/v1:Deployment 'subject' has "
        "spec.template.spec.containers[0].securityContext.capabilities.add ['SYS_ADMIN']; required: none",
    ]


def test_fail_cron_job_with_host_path_and_host_network():
    spec = {**POD_SPEC, "hostNetwork": True, "volumes": [{"name": "dev", "hostPath": {"path": "/dev"}}]}
    props = {"spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": spec}}}}}
    assert run_resource(pods_off_the_host, CRON_JOB, props).violations == [
        "kubernetes:batch/v1:CronJob 'subject' has spec.jobTemplate.spec.template.spec.hostNetwork true; "
        "required: false or absent",
        "kubernetes:batch/v1:CronJob 'subject' has spec.jobTemplate.spec.template.spec.volumes[0].hostPath; "
        "required: no hostPath volumes",
    ]


def test_undecided_unknown_node_selector():
    props = changed(WORKLOAD, f"{PATH}.nodeSelector.tenant", UNKNOWN)
    outcome = run_resource(gpu_pods_on_tenant_nodes, DEPLOYMENT, props)
    assert outcome.undecided is not None and outcome.violations == []


# ---------------------------------------------------------------- never raises on malformed inputs

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.sampled_from(["mig", "p4d.24xlarge", "*"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "key",
                    "value",
                    "ebs",
                    "spec",
                    "tenant",
                    "containers",
                    "template",
                    "name",
                    "labels",
                    "resources",
                    "limits",
                    "nvidia.com/gpu",
                ]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "instanceTypes",
        "amiType",
        "labels",
        "taints",
        "scalingConfig",
        "launchTemplate",
        "remoteAccess",
        "spec",
        "metadata",
        "metadataOptions",
        "blockDeviceMappings",
    ]
)
PROPS = st.dictionaries(KEYS, JSON, max_size=6)
RESOURCE_RULES = [rule for rule in area_rules("gpu_isolation") if rule.kind == "resource"]
STACK_RULES = [rule for rule in area_rules("gpu_isolation") if rule.kind == "stack"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=PROPS, tenant=st.sampled_from([ACME, GLOBEX, None]))
def test_resource_rules_never_raise_on_malformed_inputs(props: dict[str, Any], tenant: Any):
    for rule in RESOURCE_RULES:
        for type_ in rule.resource_types:
            run_resource(rule, type_, props, tenant=tenant)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=PROPS, template=PROPS, ns=PROPS, quota_props=PROPS)
def test_stack_rules_never_raise_on_malformed_inputs(group: Any, template: Any, ns: Any, quota_props: Any):
    stack = [
        Res(NODE_GROUP, "g", {**MIG_GROUP, **group}, prop_deps={"launchTemplate": ["t"]}),
        Res(LAUNCH_TEMPLATE, "t", template, prop_deps={"blockDeviceMappings": ["k"]}),
        Res(KEY, "k", {"tags": TAGS}),
        Res(NAMESPACE, "n", ns),
        Res(QUOTA, "q", quota_props, prop_deps={"metadata": ["n"]}),
    ]
    for rule in STACK_RULES:
        run_stack(rule, stack)
