"""Where in a stack file a resource is configured, so SARIF results point at a line a reviewer can fix.

The components name resources after the configured entries (`<tenant>-gpu-<pool>-nodes`,
`<tenant>-registry-<repository>`, `<tenant>-secrets-<secret>`, `<tenant>-workspace-<env>-...`), so the
longest configured name found, hyphen-bounded, in a resource's name identifies the entry. Anything
else points at the network block (network resources) or the tenant id line.

Only line numbers are read from the YAML; no value from the stack file ever reaches a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

TENANT_KEY = "landingzone:tenant"
# Lists of named entries in the tenant config, most specific first (ties in length go to the first).
ENTRY_LISTS = (
    ("gpu_pools", "name"),
    ("secrets", "name"),
    ("registry.repositories", None),
    ("registry.artifact_buckets", None),
    ("environments", None),
)


@dataclass
class StackFileIndex:
    uri: str
    """The stack file relative to the project root, with forward slashes."""
    tenant: str = ""
    tenant_line: int = 1
    network_line: int | None = None
    entries: list[tuple[str, int, str]] = field(default_factory=list)
    """(configured name, line, config field path) of every named entry."""

    def line_for(self, resource_name: str) -> int:
        return self.field_for(resource_name)[0]

    def field_for(self, resource_name: str) -> tuple[int, str]:
        """The line and the config field path (`landingzone:tenant.gpu_pools[0]`) configuring a resource."""
        rest = resource_name.removeprefix(f"{self.tenant}-") if self.tenant else resource_name
        bounded = f"-{rest}-"
        best: tuple[int, int, str] | None = None
        for name, line, path in self.entries:
            if f"-{name}-" in bounded and (best is None or len(name) > best[0]):
                best = (len(name), line, path)
        if best is not None:
            return best[1], best[2]
        if self.network_line is not None and rest.startswith("network"):
            return self.network_line, f"{TENANT_KEY}.network"
        return self.tenant_line, f"{TENANT_KEY}.id"


def _mapping_get(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _path_get(node: yaml.Node | None, dotted: str) -> yaml.Node | None:
    for part in dotted.split("."):
        found = _mapping_get(node, part)
        if found is None:
            return None
        node = found[1]
    return node


def index_stack_file(project_dir: Path, stack: str) -> StackFileIndex:
    relative = Path("stacks") / f"Pulumi.{stack}.yaml"
    index = StackFileIndex(uri=relative.as_posix())
    try:
        root = yaml.compose((project_dir / relative).read_text())
    except (OSError, yaml.YAMLError):
        return index
    tenant = _path_get(root, f"config.{TENANT_KEY}") if root is not None else None
    if tenant is None:
        return index
    tenant_id = _mapping_get(tenant, "id")
    if tenant_id is not None:
        index.tenant = str(tenant_id[1].value) if isinstance(tenant_id[1], yaml.ScalarNode) else ""
        index.tenant_line = tenant_id[0].start_mark.line + 1
    network = _mapping_get(tenant, "network")
    if network is not None:
        index.network_line = network[0].start_mark.line + 1
    for dotted, name_key in ENTRY_LISTS:
        sequence = _path_get(tenant, dotted)
        if not isinstance(sequence, yaml.SequenceNode):
            continue
        for position, item in enumerate(sequence.value):
            named = _mapping_get(item, name_key) if name_key else None
            name_node = named[1] if named else item
            if isinstance(name_node, yaml.ScalarNode) and name_node.value:
                path = f"{TENANT_KEY}.{dotted}[{position}]"
                index.entries.append((str(name_node.value), name_node.start_mark.line + 1, path))
    return index
