"""The rule `gpu-04-node-group-max-size`, one of the GPU-04 rules.

GPU-04: GPU use is bounded by quota.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.node_groups import is_gpu_node_group, node_group_judge
from mlops_policies.props import as_int, get, shown
from mlops_policies.resource_types import NODE_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule


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
@node_group_judge("GPU-04")
def node_group_max_size(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    limit = r.config["maxGpuNodes"]
    raw = get(r.props, "scalingConfig", "maxSize")
    size = as_int(raw)
    if size is None or size > limit:
        r.fail(f"{r.label} has scalingConfig.maxSize {shown(raw)}; required: at most {limit}")
