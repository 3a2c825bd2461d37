"""The GPU catalog: which instance types a tenant may request and which MIG layouts each GPU supports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

MIG_DISABLED = "all-disabled"
MIG_BALANCED = "all-balanced"


@dataclass(frozen=True)
class GpuModel:
    name: str
    memory_gib: int
    mig_profiles: dict[str, int]
    balanced: dict[str, int]

    @property
    def supports_mig(self) -> bool:
        return bool(self.mig_profiles)

    def layouts(self) -> list[str]:
        """Valid nvidia.com/mig.config values, `all-disabled` included; empty when the GPU has no MIG."""
        if not self.supports_mig:
            return []
        return [MIG_DISABLED, MIG_BALANCED, *(f"all-{profile}" for profile in self.mig_profiles)]

    def layout_profiles(self, layout: str) -> dict[str, int]:
        """MIG profiles (and count per GPU) that a layout exposes; raises KeyError for an unknown layout."""
        if layout not in self.layouts():
            raise KeyError(layout)
        if layout == MIG_DISABLED:
            return {}
        if layout == MIG_BALANCED:
            return dict(self.balanced)
        profile = layout.removeprefix("all-")
        return {profile: self.mig_profiles[profile]}


@dataclass(frozen=True)
class InstanceType:
    name: str
    gpu: GpuModel
    gpus: int


@dataclass(frozen=True)
class GpuCatalog:
    models: dict[str, GpuModel]
    instance_types: dict[str, InstanceType]
    families: dict[str, str]
    """EC2 instance family -> GPU vendor, for every family whose instances carry GPUs."""

    def instance(self, name: str) -> InstanceType:
        return self.instance_types[name]

    def mig_slices(self, instance_type: str, layout: str) -> dict[str, int]:
        """MIG devices per node for an instance type under a layout: profile -> count."""
        instance = self.instance(instance_type)
        return {p: n * instance.gpus for p, n in instance.gpu.layout_profiles(layout).items()}


def parse_catalog(document: dict[str, Any]) -> GpuCatalog:
    models = {
        name: GpuModel(
            name=name,
            memory_gib=int(spec["memory_gib"]),
            mig_profiles=dict(spec.get("mig") or {}),
            balanced=dict(spec.get("balanced") or {}),
        )
        for name, spec in document["gpu_models"].items()
    }
    instances = {
        name: InstanceType(name=name, gpu=models[spec["gpu"]], gpus=int(spec["gpus"]))
        for name, spec in document["instance_types"].items()
    }
    families = {
        family: vendor for vendor, names in (document.get("gpu_families") or {}).items() for family in names
    }
    return GpuCatalog(models=models, instance_types=instances, families=families)


@cache
def load_catalog() -> GpuCatalog:
    """The catalog shipped with the project (landingzone/data/gpu-catalog.yaml)."""
    text = resources.files("landingzone").joinpath("data/gpu-catalog.yaml").read_text()
    return parse_catalog(yaml.safe_load(text))


def instance_family(instance_type: str) -> str:
    """The EC2 family of an instance type: the part before the first dot (`p6-b200` of p6-b200.48xlarge)."""
    return instance_type.strip().lower().split(".", 1)[0]


def is_gpu_instance_type(instance_type: str) -> bool:
    """Whether the instance type's family is a GPU family of the catalog (gpu_families), whatever its size."""
    catalog = load_catalog()
    return instance_type in catalog.instance_types or instance_family(instance_type) in catalog.families
