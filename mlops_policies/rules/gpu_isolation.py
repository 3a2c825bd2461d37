"""GPU isolation: tenant-pinned, hard-partitioned, bounded GPU nodes that leak nothing to workloads."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, Severity

from landingzone.gpu import MIG_DISABLED, load_catalog
from landingzone.gpu import is_gpu_instance_type as _is_gpu_family
from mlops_policies.core import ResourceCheck, Rule, StackCheck, Undecided, label, resource_rule, stack_rule
from mlops_policies.keys import key_use, require_decided
from mlops_policies.namespaces import RESOURCE_QUOTA, tenant_namespaces
from mlops_policies.props import UNKNOWN, as_bool, as_int, as_list, as_str, get, known, shown
from mlops_policies.workloads import WORKLOAD_TYPES, PodSpec, containers, pod_specs

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
NAMESPACE = "kubernetes:core/v1:Namespace"
SHARING_LABEL = "gpu-sharing"
MIG_CONFIG_LABEL = "nvidia.com/mig.config"
DEVICE_PLUGIN_CONFIG_LABEL = "nvidia.com/device-plugin.config"
SHARING_MODES = ("dedicated", "mig")
NO_TENANT = "stack config landingzone:tenant.id is missing"


# ---------------------------------------------------------------- node groups


def _labels(props: Any) -> Mapping[str, Any]:
    raw = get(props, "labels")
    return raw if isinstance(raw, Mapping) else {}


def _label(props: Any, key: str) -> Any:
    # Unknown label values raise: a rule cannot judge what it cannot see.
    return get(_labels(props), key)


def _instance_types(props: Any) -> list[str]:
    return [t for t in as_list(get(props, "instanceTypes")) if isinstance(t, str)]


def is_gpu_node_group(props: Any) -> bool:
    """p*/g* instance types or an NVIDIA/GPU AMI type; judged on the node group's own inputs only."""
    ami = (as_str(get(props, "amiType")) or "").upper()
    if "NVIDIA" in ami or "GPU" in ami:
        return True
    return any(_is_gpu_family(t) for t in _instance_types(props))


def _taint_text(taint: Any) -> str:
    return f"{get(taint, 'key')}={get(taint, 'value')}:{get(taint, 'effect')}"


@resource_rule(
    "gpu-01-node-group-tenant-taint",
    control="GPU-01",
    types=[NODE_GROUP],
    description="GPU node groups carry the taint tenant=<stack tenant>:NO_SCHEDULE, so only the tenant's "
    "pods (which tolerate it) are scheduled there.",
    remediation="Add taints=[{'key': 'tenant', 'value': '<tenant id>', 'effect': 'NO_SCHEDULE'}] to the "
    "aws.eks.NodeGroup.",
)
def node_group_tenant_taint(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to judge the GPU node group's tenant taint")
        return
    taints = [t for t in as_list(get(r.props, "taints")) if isinstance(t, Mapping)]
    wanted = ("tenant", r.tenant.id, "NO_SCHEDULE")
    if any((get(t, "key"), get(t, "value"), get(t, "effect")) == wanted for t in taints):
        return
    found = ", ".join(_taint_text(t) for t in taints) or "missing"
    r.fail(f"{r.label} has taints {found}; required: {{key: 'tenant', value: '{r.tenant.id}', "
           "effect: 'NO_SCHEDULE'}")  # fmt: skip


@resource_rule(
    "gpu-01-node-group-tenant-label",
    control="GPU-01",
    types=[NODE_GROUP],
    description="GPU node groups carry the node label tenant=<stack tenant>, so workloads can select them.",
    remediation="Add labels={'tenant': '<tenant id>', ...} to the aws.eks.NodeGroup.",
)
def node_group_tenant_label(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to judge the GPU node group's tenant label")
        return
    value = _label(r.props, "tenant")
    if value != r.tenant.id:
        r.fail(f"{r.label} has labels.tenant {shown(value)}; required: '{r.tenant.id}'")


@resource_rule(
    "gpu-02-node-group-sharing-mode",
    control="GPU-02",
    types=[NODE_GROUP],
    description="GPU node groups declare their sharing mode in label gpu-sharing: 'dedicated' or 'mig'.",
    remediation="Add labels={'gpu-sharing': 'dedicated'} (whole GPUs) or {'gpu-sharing': 'mig', "
    "'nvidia.com/mig.config': '<layout>'} to the aws.eks.NodeGroup.",
)
def node_group_sharing_mode(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    mode = _label(r.props, SHARING_LABEL)
    if mode not in SHARING_MODES:
        r.fail(f"{r.label} has labels.{SHARING_LABEL} {shown(mode)}; required: 'dedicated' or 'mig'")


def _mig_layout_problems(props: Any, layout: Any) -> Iterator[str]:
    """Why `layout` is not provably a MIG layout of every instance type's GPU (nothing: it is)."""
    if not isinstance(layout, str) or layout == MIG_DISABLED:
        yield f"labels.{MIG_CONFIG_LABEL} {shown(layout)}; required: a MIG layout such as 'all-balanced'"
        return
    types = _instance_types(props)
    if not types:
        # Without instanceTypes EKS uses t3.medium (or the launch template's type): no MIG provable.
        yield "no instanceTypes, so the MIG layout cannot be proven valid; required: catalog instance types"
    catalog = load_catalog()
    for name in types:
        instance = catalog.instance_types.get(name)
        if instance is None:
            yield f"instance type '{name}', not in the GPU catalog, so '{layout}' cannot be proven valid"
        elif not instance.gpu.supports_mig:
            yield f"instance type '{name}' with {instance.gpu.name} GPUs, which have no MIG; use 'dedicated'"
        elif layout not in instance.gpu.layouts():
            allowed = ", ".join(x for x in instance.gpu.layouts() if x != MIG_DISABLED)
            yield f"labels.{MIG_CONFIG_LABEL} '{layout}', not a layout of {instance.gpu.name} ({name}); " \
                  f"allowed: {allowed}"  # fmt: skip


@resource_rule(
    "gpu-02-node-group-mig-layout",
    control="GPU-02",
    types=[NODE_GROUP],
    description="A 'mig' GPU node group names, in label nvidia.com/mig.config, a MIG layout valid for the "
    "GPU of every instance type (gpu-catalog.yaml); a 'dedicated' group sets no layout or 'all-disabled'.",
    remediation="Set labels['nvidia.com/mig.config'] to a layout the catalog lists for the group's GPU (for "
    "example 'all-3g.40gb' on p4de.24xlarge), keep MIG groups to one GPU model, or use gpu-sharing "
    "'dedicated'.",
)
def node_group_mig_layout(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    mode = _label(r.props, SHARING_LABEL)
    layout = _label(r.props, MIG_CONFIG_LABEL)
    if mode == "dedicated" and layout not in (None, MIG_DISABLED):
        r.fail(f"{r.label} has labels.{SHARING_LABEL} 'dedicated' with labels.{MIG_CONFIG_LABEL} "
               f"{shown(layout)}; required: no MIG layout or '{MIG_DISABLED}'")  # fmt: skip
    if mode == "mig":
        for problem in _mig_layout_problems(r.props, layout):
            r.fail(f"{r.label} has gpu-sharing 'mig' and {problem}")


_SHARING_HINTS = re.compile(r"timeslic|time-slic|time_slic")
_DEVICE_PLUGIN_HINTS = re.compile(r"shared|sharing|replica")


def _sharing_hint(key: str, value: Any) -> str | None:
    """'time-slicing' or 'MPS' when a label key or value configures GPU sharing by either."""
    text = f"{key} {value if isinstance(value, str) else ''}".lower()
    if _SHARING_HINTS.search(text):
        return "time-slicing"
    if "mps" in re.split(r"[^a-z0-9]+", text):
        return "MPS"
    plugin_config = value.lower() if key == DEVICE_PLUGIN_CONFIG_LABEL and isinstance(value, str) else ""
    if _DEVICE_PLUGIN_HINTS.search(plugin_config):
        return "time-slicing"
    return None


@resource_rule(
    "gpu-02-node-group-no-time-slicing",
    control="GPU-02",
    types=[NODE_GROUP],
    description="GPU node groups are not shared by time-slicing or MPS (no label key or value, nor a "
    "device-plugin config, configures either): tenants' processes never share a GPU's memory.",
    remediation="Remove time-slicing/MPS labels and nvidia.com/device-plugin.config sharing configs from the "
    "aws.eks.NodeGroup labels; partition with MIG (gpu-sharing 'mig') or use whole GPUs.",
)
def node_group_no_time_slicing(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    for key in sorted(k for k in _labels(r.props) if isinstance(k, str)):
        mode = _sharing_hint(key, get(_labels(r.props), key))
        if mode:
            r.fail(f"{r.label} has label '{key}' configuring {mode}; required: whole GPUs or MIG partitions")


@resource_rule(
    "gpu-03-regulated-dedicated-gpus",
    control="GPU-03",
    types=[NODE_GROUP],
    description="Every GPU node group of a regulated tenant has gpu-sharing 'dedicated': whole GPUs only.",
    remediation="Set labels['gpu-sharing']='dedicated' and remove nvidia.com/mig.config (or set it to "
    "'all-disabled') on the aws.eks.NodeGroup.",
)
def regulated_dedicated_gpus(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    mode = _label(r.props, SHARING_LABEL)
    if mode != "dedicated":
        r.fail(f"{r.label} has labels.{SHARING_LABEL} {shown(mode)}; required for a regulated tenant: "
               "'dedicated'")  # fmt: skip


@resource_rule(
    "gpu-04-node-group-max-size",
    control="GPU-04",
    types=[NODE_GROUP],
    severity=Severity.MEDIUM,
    config={"maxGpuNodes": {"type": "integer", "default": 16, "description": "Largest GPU node group."}},
    description="Every GPU node group has scalingConfig.maxSize at most maxGpuNodes (default 16).",
    remediation="Set scaling_config={'max_size': <n>, ...} on the aws.eks.NodeGroup to at most maxGpuNodes; "
    "ask the platform team for a larger limit instead of raising it in the stack.",
)
def node_group_max_size(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    limit = r.config["maxGpuNodes"]
    raw = get(r.props, "scalingConfig", "maxSize")
    size = as_int(raw)
    if size is None or size > limit:
        r.fail(f"{r.label} has scalingConfig.maxSize {shown(raw)}; required: at most {limit}")


# ---------------------------------------------------------------- quotas (stack)


def _mig_profiles(stack: StackCheck) -> set[str]:
    """MIG profiles the stack's mig node groups expose (layouts GPU-02 rejects expose nothing)."""
    catalog = load_catalog()
    profiles: set[str] = set()
    for group in stack.of_type(NODE_GROUP):
        with stack.deciding(group):
            layout = _label(group.props, MIG_CONFIG_LABEL)
            if _label(group.props, SHARING_LABEL) != "mig" or not isinstance(layout, str):
                continue
            for name in _instance_types(group.props):
                instance = catalog.instance_types.get(name)
                if instance is not None and layout in instance.gpu.layouts():
                    profiles.update(instance.gpu.layout_profiles(layout))
    return profiles


def _quota_keys(quota: PolicyResource) -> set[str] | None:
    """spec.hard keys of a quota that bounds every pod; None when unknown. Scoped quotas bound only some."""
    spec = known(quota.props, "spec")
    if spec is UNKNOWN:
        return None
    if known(spec, "scopes") is not None or known(spec, "scopeSelector") is not None:
        return set()
    hard = known(spec, "hard")
    if hard is UNKNOWN:
        return None
    return {k for k in hard if isinstance(k, str)} if isinstance(hard, Mapping) else set()


@stack_rule(
    "gpu-04-namespace-gpu-quota",
    control="GPU-04",
    types=[NAMESPACE, RESOURCE_QUOTA, NODE_GROUP],
    description="Every tenant Namespace has a ResourceQuota (without scopes) whose spec.hard sets "
    "requests.nvidia.com/gpu and, when the stack has mig node groups, requests.nvidia.com/mig-<profile> "
    "for every profile their layouts expose.",
    remediation="Create a kubernetes.core.v1.ResourceQuota with metadata={'namespace': ns.metadata.name} and "
    "spec={'hard': {'requests.nvidia.com/gpu': '<n>', 'requests.nvidia.com/mig-<profile>': '<n>', ...}} "
    "in every tenant namespace.",
)
def namespace_gpu_quota(stack: StackCheck) -> None:
    profiles = sorted(_mig_profiles(stack))
    required = ["requests.nvidia.com/gpu", *(f"requests.nvidia.com/mig-{p}" for p in profiles)]
    for namespace in tenant_namespaces(stack.resources):
        with stack.deciding(namespace.resource):
            keys: set[str] = set()
            unresolved = [label(q) for q in namespace.unresolved_of_type(RESOURCE_QUOTA)]
            for quota in namespace.of_type(RESOURCE_QUOTA):
                found = _quota_keys(quota)
                if found is None:
                    unresolved.append(label(quota))
                keys |= found or set()
            missing = [k for k in required if k not in keys]
            if missing and unresolved:
                raise Undecided([f"cannot tell whether {', '.join(unresolved)} bound(s) it"])
            if missing:
                stack.fail(namespace.resource, f"{label(namespace.resource)} has no ResourceQuota spec.hard "
                           f"{', '.join(missing)}; required: {', '.join(required)}")  # fmt: skip


# ---------------------------------------------------------------- node credentials and disks (stack)


def _launch_template(stack: StackCheck, group: PolicyResource) -> PolicyResource | None:
    """The stack's LaunchTemplate the group uses; None when none; Undecided when it cannot tell."""
    for dep in stack.referenced_by(group, "launchTemplate"):
        if dep.resource_type == LAUNCH_TEMPLATE:
            return dep
    reference = get(group.props, "launchTemplate")
    if not isinstance(reference, Mapping):
        return None
    ident, name = known(reference, "id"), known(reference, "name")
    for template in stack.of_type(LAUNCH_TEMPLATE):
        if (isinstance(name, str) and name == known(template.props, "name")) or (
            isinstance(ident, str) and ident == known(template.props, "id")
        ):
            return template
    if UNKNOWN in (ident, name):
        raise Undecided(["launchTemplate id/name is unknown and has no dependency information"])
    return None


def _gpu_groups_with_templates(stack: StackCheck) -> Iterator[tuple[PolicyResource, PolicyResource]]:
    """GPU node groups and their launch templates; a group without one is reported here."""
    for group in stack.of_type(NODE_GROUP):
        with stack.deciding(group):
            gpu = is_gpu_node_group(group.props)
            if not gpu and _instance_types(group.props):
                continue
            template = _launch_template(stack, group)
            # Without instanceTypes on the group, the launch template's instanceType decides.
            if not gpu and not (template and _is_gpu_family(_template_instance_type(template))):
                continue
            if template is None:
                stack.fail(group, f"{label(group)} has launchTemplate {_template_ref(group)}; required: a "
                           f"{LAUNCH_TEMPLATE} of this stack")  # fmt: skip
                continue
            yield group, template


def _template_instance_type(template: PolicyResource) -> str:
    return as_str(get(template.props, "instanceType")) or ""


def _template_ref(group: PolicyResource) -> str:
    reference = get(group.props, "launchTemplate")
    if not isinstance(reference, Mapping):
        return "missing"
    named = get(reference, "name") or get(reference, "id")
    return f"{named!r}, not a launch template of this stack" if named else "without id or name"


@stack_rule(
    "gpu-05-node-group-imdsv2",
    control="GPU-05",
    types=[NODE_GROUP, LAUNCH_TEMPLATE],
    description="GPU node groups use a launch template of the stack whose metadataOptions set httpTokens "
    "'required' and httpPutResponseHopLimit 1, so pods cannot reach the node's instance credentials.",
    remediation="Create an aws.ec2.LaunchTemplate with metadata_options={'http_tokens': 'required', "
    "'http_put_response_hop_limit': 1} and pass launch_template={'id': lt.id, 'version': "
    "lt.latest_version.apply(str)} to the aws.eks.NodeGroup.",
)
def node_group_imdsv2(stack: StackCheck) -> None:
    for group, template in _gpu_groups_with_templates(stack):
        with stack.deciding(template):
            tokens = get(template.props, "metadataOptions", "httpTokens")
            # A missing hop limit is not 1: AMIs registered with ImdsSupport v2.0 default to 2.
            hops = get(template.props, "metadataOptions", "httpPutResponseHopLimit")
            where = f"{label(template)} (launch template of {label(group)})"
            if tokens != "required":
                stack.fail(template, f"{where} has metadataOptions.httpTokens {shown(tokens)}; "
                           "required: 'required'")  # fmt: skip
            if as_int(hops) != 1:
                stack.fail(template, f"{where} has metadataOptions.httpPutResponseHopLimit {shown(hops)}; "
                           "required: 1")  # fmt: skip


@stack_rule(
    "gpu-05-node-group-encrypted-disks",
    control="GPU-05",
    types=[NODE_GROUP, LAUNCH_TEMPLATE],
    description="GPU node groups use a launch template whose every EBS block device has encrypted true and "
    "kmsKeyId a tenant key (a KMS key of this stack tagged with the tenant).",
    remediation="Set block_device_mappings=[{'device_name': '/dev/xvda', 'ebs': {'encrypted': 'true', "
    "'kms_key_id': tenant_key.arn, ...}}] on the aws.ec2.LaunchTemplate.",
)
def node_group_encrypted_disks(stack: StackCheck) -> None:
    for group, template in _gpu_groups_with_templates(stack):
        with stack.deciding(template):
            where = f"{label(template)} (launch template of {label(group)})"
            mappings = as_list(get(template.props, "blockDeviceMappings"))
            volumes = [(i, ebs) for i, m in enumerate(mappings) if isinstance(ebs := get(m, "ebs"), Mapping)]
            if not volumes:
                stack.fail(template, f"{where} has no blockDeviceMappings[].ebs; required: an encrypted root "
                           "volume with a tenant key")  # fmt: skip
            for index, ebs in volumes:
                encrypted = get(ebs, "encrypted")
                if as_bool(encrypted) is not True:
                    stack.fail(template, f"{where} has blockDeviceMappings[{index}].ebs.encrypted "
                               f"{shown(encrypted)}; required: 'true'")  # fmt: skip
                path = f"blockDeviceMappings[{index}].ebs.kmsKeyId"
                use = require_decided(
                    key_use(stack, template, "blockDeviceMappings", index, "ebs", "kmsKeyId"), path
                )
                if not use.tenant_key:
                    stack.fail(template, f"{where} has {path} {use.found}; required: a tenant key")


@resource_rule(
    "gpu-05-node-group-no-remote-access",
    control="GPU-05",
    types=[NODE_GROUP],
    description="GPU node groups have no remoteAccess: nobody logs into a tenant's GPU node by SSH.",
    remediation="Remove remote_access from the aws.eks.NodeGroup; use SSM Session Manager for break-glass.",
)
def node_group_no_remote_access(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    if get(r.props, "remoteAccess") is not None:
        r.fail(f"{r.label} has remoteAccess set; required: no remoteAccess (no SSH to GPU nodes)")


# ---------------------------------------------------------------- workloads


def _pod_spec(type_: str, props: Any) -> PodSpec | None:
    specs = pod_specs(type_, props)
    return specs[0] if specs else None


def _gpu_requests(pod: PodSpec) -> list[str]:
    """'<container path>.resources.<requests|limits>.<resource>' for every GPU or MIG device requested."""
    found = []
    for where, _, container in containers(pod):
        for section in ("requests", "limits"):
            amounts = get(container, "resources", section)
            for key in amounts if isinstance(amounts, Mapping) else ():
                if isinstance(key, str) and (key == "nvidia.com/gpu" or key.startswith("nvidia.com/mig-")):
                    found.append(f"{where}.resources.{section}.{key}")
    return found


def _selects_tenant_nodes(spec: Mapping[str, Any], tenant: str) -> bool:
    if get(spec, "nodeSelector", "tenant") == tenant:
        return True
    # Node selector terms are ORed: every term must pin the tenant, or one term escapes.
    terms = as_list(get(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                        "nodeSelectorTerms"))  # fmt: skip
    return bool(terms) and all(_term_pins_tenant(term, tenant) for term in terms)


def _term_pins_tenant(term: Any, tenant: str) -> bool:
    for expression in as_list(get(term, "matchExpressions")):
        values = as_list(get(expression, "values"))
        pinned = get(expression, "key") == "tenant" and get(expression, "operator") == "In"
        if pinned and values and all(v == tenant for v in values):
            return True
    return False


@resource_rule(
    "gpu-06-gpu-pods-on-tenant-nodes",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    description="A pod spec requesting nvidia.com/gpu or nvidia.com/mig-* selects nodes with nodeSelector "
    "tenant=<stack tenant> (or a required node affinity tenant In [<stack tenant>] in every term).",
    remediation="Set node_selector={'tenant': '<tenant id>'} in the pod spec (spec.template.spec for "
    "workload controllers) of every GPU workload.",
)
def gpu_pods_on_tenant_nodes(r: ResourceCheck) -> None:
    pod = _pod_spec(r.type, r.props)
    if pod is None or not _gpu_requests(pod):
        return
    path, spec = pod
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to judge the GPU pod's node selection")
        return
    if not _selects_tenant_nodes(spec, r.tenant.id):
        selected = get(spec, "nodeSelector", "tenant")
        r.fail(f"{r.label} requests {_gpu_requests(pod)[0]} but has {path}.nodeSelector.tenant "
               f"{shown(selected)}; required: '{r.tenant.id}' (or required node affinity tenant In "
               f"['{r.tenant.id}'])")  # fmt: skip


def _toleration_problem(toleration: Any, tenant: str) -> str | None:
    key, operator = get(toleration, "key"), get(toleration, "operator", default="Equal")
    if key == "tenant" and operator == "Equal" and get(toleration, "value") == tenant:
        return None
    if key in (None, "") and operator == "Exists":
        return "tolerates every taint"
    if key == "tenant" and operator == "Exists":
        return "tolerates every tenant's taint"
    if key == "tenant":
        return f"tolerates tenant {shown(get(toleration, 'value'))}"
    return f"tolerates taint key {shown(key)}"


@resource_rule(
    "gpu-06-gpu-pods-tolerate-only-tenant",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    description="A pod spec requesting GPUs tolerates only the taint tenant=<stack tenant> (operator Equal).",
    remediation="Keep only tolerations=[{'key': 'tenant', 'operator': 'Equal', 'value': '<tenant id>', "
    "'effect': 'NoSchedule'}] in GPU pod specs; remove operator 'Exists' and other keys.",
)
def gpu_pods_tolerate_only_tenant(r: ResourceCheck) -> None:
    pod = _pod_spec(r.type, r.props)
    if pod is None or not _gpu_requests(pod):
        return
    path, spec = pod
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to judge the GPU pod's tolerations")
        return
    for index, toleration in enumerate(as_list(get(spec, "tolerations"))):
        problem = _toleration_problem(toleration, r.tenant.id)
        if problem:
            r.fail(f"{r.label} requests GPUs but {path}.tolerations[{index}] {problem}; required: only "
                   f"tenant={r.tenant.id}")  # fmt: skip


@resource_rule(
    "gpu-06-pods-unprivileged",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    description="No container is privileged, sets allowPrivilegeEscalation true, or adds capabilities.",
    remediation="In every container's security_context drop privileged=True, set "
    "allow_privilege_escalation=False and remove capabilities.add (use capabilities={'drop': ['ALL']}).",
)
def pods_unprivileged(r: ResourceCheck) -> None:
    pod = _pod_spec(r.type, r.props)
    if pod is None:
        return
    for where, _, container in containers(pod):
        context = get(container, "securityContext")
        if as_bool(get(context, "privileged")) is True:
            r.fail(f"{r.label} has {where}.securityContext.privileged true; required: false or absent")
        if as_bool(get(context, "allowPrivilegeEscalation")) is True:
            r.fail(f"{r.label} has {where}.securityContext.allowPrivilegeEscalation true; required: false")
        added = [c for c in as_list(get(context, "capabilities", "add")) if isinstance(c, str)]
        if added:
            r.fail(f"{r.label} has {where}.securityContext.capabilities.add {added}; required: none")


@resource_rule(
    "gpu-06-pods-off-the-host",
    control="GPU-06",
    types=WORKLOAD_TYPES,
    description="No pod spec uses hostNetwork, hostPID, hostIPC or hostPath volumes.",
    remediation="Remove host_network/host_pid/host_ipc and host_path volumes from the pod spec; use "
    "persistent volume claims or emptyDir instead.",
)
def pods_off_the_host(r: ResourceCheck) -> None:
    pod = _pod_spec(r.type, r.props)
    if pod is None:
        return
    path, spec = pod
    for field_name in ("hostNetwork", "hostPID", "hostIPC"):
        if as_bool(get(spec, field_name)) is True:
            r.fail(f"{r.label} has {path}.{field_name} true; required: false or absent")
    for index, volume in enumerate(as_list(get(spec, "volumes"))):
        if get(volume, "hostPath") is not None:
            r.fail(f"{r.label} has {path}.volumes[{index}].hostPath; required: no hostPath volumes")


RULES: list[Rule] = [
    node_group_tenant_taint,
    node_group_tenant_label,
    node_group_sharing_mode,
    node_group_mig_layout,
    node_group_no_time_slicing,
    regulated_dedicated_gpus,
    node_group_max_size,
    namespace_gpu_quota,
    node_group_imdsv2,
    node_group_encrypted_disks,
    node_group_no_remote_access,
    gpu_pods_on_tenant_nodes,
    gpu_pods_tolerate_only_tenant,
    pods_unprivileged,
    pods_off_the_host,
]
