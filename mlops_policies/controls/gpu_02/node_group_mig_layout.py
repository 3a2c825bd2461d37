"""The rule `gpu-02-node-group-mig-layout`, one of the GPU-02 rules.

GPU-02: GPU sharing is a hard partition or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import Severity

from landingzone.gpu import MIG_DISABLED, load_catalog
from mlops_policies.node_groups import (
    MIG_CONFIG_LABEL,
    SHARING_LABEL,
    instance_types,
    is_gpu_node_group,
    node_group_judge,
    node_label,
)
from mlops_policies.props import shown
from mlops_policies.resource_types import NODE_GROUP
from mlops_policies.rule import ResourceCheck, resource_rule


def _mig_layout_problems(props: Any, layout: Any) -> Iterator[str]:
    """Why `layout` is not provably a MIG layout of every instance type's GPU (nothing: it is)."""
    if not isinstance(layout, str) or layout == MIG_DISABLED:
        yield f"labels.{MIG_CONFIG_LABEL} {shown(layout)}; required: a MIG layout such as 'all-balanced'"
        return
    types = instance_types(props)
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
    severity=Severity.MEDIUM,
    description="A 'mig' GPU node group names, in label nvidia.com/mig.config, a MIG layout valid for the "
    "GPU of every instance type (gpu-catalog.yaml); a 'dedicated' group sets no layout or 'all-disabled'.",
    remediation="Set labels['nvidia.com/mig.config'] to a layout the catalog lists for the group's GPU (for "
    "example 'all-3g.40gb' on p4de.24xlarge), keep MIG groups to one GPU model, or use gpu-sharing "
    "'dedicated'.",
)
@node_group_judge("GPU-02")
def node_group_mig_layout(r: ResourceCheck) -> None:
    if not is_gpu_node_group(r.props):
        return
    mode = node_label(r.props, SHARING_LABEL)
    layout = node_label(r.props, MIG_CONFIG_LABEL)
    if mode == "dedicated" and layout not in (None, MIG_DISABLED):
        r.fail(f"{r.label} has labels.{SHARING_LABEL} 'dedicated' with labels.{MIG_CONFIG_LABEL} "
               f"{shown(layout)}; required: no MIG layout or '{MIG_DISABLED}'")  # fmt: skip
    if mode == "mig":
        for problem in _mig_layout_problems(r.props, layout):
            r.fail(f"{r.label} has gpu-sharing 'mig' and {problem}")
