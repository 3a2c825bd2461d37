"""GPU isolation on the EKS node groups: tenant taints and labels (GPU-01), hard partitioning (GPU-02/03),
bounded size (GPU-04) and node hardening through the launch template (GPU-05).

The Kubernetes halves of these controls (quotas, pod specs) are not observable through AWS APIs."""

from __future__ import annotations

from landingzone.gpu import MIG_DISABLED, load_catalog
from tenantctl.audit.checks.registry import AuditContext, Outcome, check, verdict
from tenantctl.audit.checks.scopes import GPU_NODE_GROUPS, launch_template_data
from tenantctl.audit.inventory import LiveNodeGroup
from tenantctl.audit.reader import Reply

SHARING_LABEL = "gpu-sharing"
MIG_LABEL = "nvidia.com/mig.config"
# Soft sharing (time-slicing, MPS) gives tenants no memory or fault isolation from each other.
SOFT_SHARING_MARKERS = ("time-slicing", "timeslicing", "mps")


def _source(ctx: AuditContext, group: LiveNodeGroup) -> Reply:
    return ctx.read("eks", "describe_nodegroup", clusterName=group.cluster, nodegroupName=group.name)


@check("GPU-01", "gpu_nodegroup_tenant_taint", GPU_NODE_GROUPS)
def gpu_nodegroup_tenant_taint(ctx: AuditContext, group: LiveNodeGroup) -> Outcome:
    """GPU node groups carry the taint tenant=<tenant>:NoSchedule."""
    taints = list(group.data.get("taints") or [])
    wanted = {"key": "tenant", "value": ctx.target.tenant_id, "effect": "NO_SCHEDULE"}
    ok = any({k: t.get(k) for k in wanted} == wanted for t in taints)
    return verdict(
        ok, "tenant taint present" if ok else "tenant taint missing", {"taints": taints}, _source(ctx, group)
    )


@check("GPU-01", "gpu_nodegroup_tenant_label", GPU_NODE_GROUPS)
def gpu_nodegroup_tenant_label(ctx: AuditContext, group: LiveNodeGroup) -> Outcome:
    """GPU node groups label their nodes tenant=<tenant>."""
    labels = dict(group.data.get("labels") or {})
    ok = labels.get("tenant") == ctx.target.tenant_id
    return verdict(ok, f"label tenant={labels.get('tenant')}", {"labels": labels}, _source(ctx, group))


@check("GPU-02", "gpu_nodegroup_sharing_label", GPU_NODE_GROUPS)
def gpu_nodegroup_sharing_label(ctx: AuditContext, group: LiveNodeGroup) -> Outcome:
    """GPU node groups declare gpu-sharing dedicated, or mig with a layout valid for their GPU."""
    labels = dict(group.data.get("labels") or {})
    evidence = {"labels": labels, "instanceTypes": group.data.get("instanceTypes")}
    source = _source(ctx, group)
    soft = [
        f"{k}={v}" for k, v in labels.items() if any(m in f"{k}={v}".lower() for m in SOFT_SHARING_MARKERS)
    ]
    if soft:
        return verdict(False, f"soft GPU sharing labels {soft}", evidence, source)
    sharing, layout = labels.get(SHARING_LABEL), labels.get(MIG_LABEL)
    if sharing == "dedicated":
        ok = layout in (None, MIG_DISABLED)
        return verdict(ok, f"dedicated, mig.config {layout}", evidence, source)
    if sharing != "mig":
        return verdict(False, f"{SHARING_LABEL}={sharing} is neither dedicated nor mig", evidence, source)
    catalog = load_catalog()
    for instance_type in group.data.get("instanceTypes") or []:
        if instance_type not in catalog.instance_types:
            return verdict(False, f"{instance_type} is not in the GPU catalog", evidence, source)
        valid = [v for v in catalog.instance(instance_type).gpu.layouts() if v != MIG_DISABLED]
        if layout not in valid:
            return verdict(
                False, f"mig.config {layout} is not valid for {instance_type}: {valid}", evidence, source
            )
    return verdict(True, f"mig, layout {layout}", evidence, source)


@check("GPU-03", "gpu_nodegroup_dedicated", GPU_NODE_GROUPS, regulated=True)
def gpu_nodegroup_dedicated(ctx: AuditContext, group: LiveNodeGroup) -> Outcome:
    """Regulated tenants get whole GPUs: gpu-sharing dedicated."""
    sharing = (group.data.get("labels") or {}).get(SHARING_LABEL)
    return verdict(
        sharing == "dedicated", f"{SHARING_LABEL}={sharing}", {SHARING_LABEL: sharing}, _source(ctx, group)
    )


@check("GPU-04", "gpu_nodegroup_max_size", GPU_NODE_GROUPS)
def gpu_nodegroup_max_size(ctx: AuditContext, group: LiveNodeGroup) -> Outcome:
    """GPU node groups scale to at most maxGpuNodes nodes."""
    scaling = dict(group.data.get("scalingConfig") or {})
    limit = ctx.target.thresholds.max_gpu_nodes
    size = int(scaling.get("maxSize") or 0)
    return verdict(
        size <= limit, f"maxSize {size} (limit {limit})", {"scalingConfig": scaling}, _source(ctx, group)
    )


@check("GPU-05", "gpu_launch_template_imdsv2", GPU_NODE_GROUPS)
def gpu_launch_template_imdsv2(ctx: AuditContext, group: LiveNodeGroup) -> Outcome:
    """GPU nodes require IMDSv2 with a hop limit of 1, so pods cannot borrow the node's credentials."""
    data, reply = launch_template_data(ctx, group)
    if data is None:
        return verdict(
            False, "no launch template: IMDSv1 stays reachable", {"launchTemplate": None}, _source(ctx, group)
        )
    options = dict(data.get("MetadataOptions") or {})
    ok = options.get("HttpTokens") == "required" and int(options.get("HttpPutResponseHopLimit") or 0) == 1
    detail = f"HttpTokens {options.get('HttpTokens')}, hop limit {options.get('HttpPutResponseHopLimit')}"
    return verdict(ok, detail, {"MetadataOptions": options}, reply)


@check("GPU-05", "gpu_launch_template_encrypted_volumes", GPU_NODE_GROUPS)
def gpu_launch_template_encrypted_volumes(ctx: AuditContext, group: LiveNodeGroup) -> Outcome:
    """GPU node volumes are encrypted with a tenant KMS key."""
    data, reply = launch_template_data(ctx, group)
    if data is None:
        return verdict(
            False,
            "no launch template: volumes use the account default",
            {"launchTemplate": None},
            _source(ctx, group),
        )
    mappings = [m for m in data.get("BlockDeviceMappings") or [] if "Ebs" in m]
    bad = [
        m.get("DeviceName")
        for m in mappings
        if not m["Ebs"].get("Encrypted") or not ctx.inventory.is_tenant_key(m["Ebs"].get("KmsKeyId"))
    ]
    evidence = {"BlockDeviceMappings": mappings}
    if not mappings:
        return verdict(
            False, "no block device mappings: the root volume is not pinned to a tenant key", evidence, reply
        )
    return verdict(
        not bad,
        f"volumes not encrypted with a tenant key: {bad}" if bad else "all volumes use a tenant key",
        evidence,
        reply,
    )


@check("GPU-05", "gpu_nodegroup_no_ssh", GPU_NODE_GROUPS)
def gpu_nodegroup_no_ssh(ctx: AuditContext, group: LiveNodeGroup) -> Outcome:
    """GPU nodes accept no SSH: no key pair in the launch template, no remoteAccess on the node group."""
    data, reply = launch_template_data(ctx, group)
    if data is not None:
        # EKS rejects remoteAccess on node groups with a launch template: SSH could only come from its key.
        key = data.get("KeyName")
        return verdict(not key, f"launch template key pair {key}", {"KeyName": key}, reply)
    remote = group.data.get("remoteAccess")
    return verdict(not remote, f"remoteAccess {remote}", {"remoteAccess": remote}, _source(ctx, group))
