"""A Mermaid flowchart of one tenant's landing zone, built from the recorded resources.

Boxes are the resources a reviewer reasons about (VPC, cluster, GPU pools, registries, buckets, audit
trail, keys, namespaces, secrets), grouped in one subgraph per component of the landing zone; plumbing
(route tables, attachments, policies) is folded into the box it belongs to, and repetitive resources
(subnets, endpoints, log groups) become one counted box. An edge means "is needed by": it follows the
recorded dependencies, through plumbing, to the nearest box. Boxes with a violation are highlighted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tenantctl.check import ADVISORY, VIOLATION, ResourceRef, StackResult

# type token -> (label, one box per resource); False means one counted box per component instead.
NODE_TYPES: dict[str, tuple[str, bool]] = {
    "aws:ec2/vpc:Vpc": ("VPC", True),
    "aws:ec2/subnet:Subnet": ("private subnet", False),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("VPC endpoint", False),
    "aws:ec2/natGateway:NatGateway": ("NAT gateway", True),
    "aws:ec2/internetGateway:InternetGateway": ("internet gateway", True),
    "aws:eks/cluster:Cluster": ("EKS cluster", True),
    "aws:eks/nodeGroup:NodeGroup": ("GPU node group", True),
    "aws:ecr/repository:Repository": ("ECR repository", True),
    "aws:s3/bucket:Bucket": ("S3 bucket", True),
    "aws:s3/bucketV2:BucketV2": ("S3 bucket", True),
    "aws:cloudtrail/trail:Trail": ("CloudTrail trail", True),
    "aws:cloudwatch/logGroup:LogGroup": ("log group", False),
    "aws:kms/key:Key": ("KMS key", True),
    "aws:secretsmanager/secret:Secret": ("secret", True),
    "aws:signer/signingProfile:SigningProfile": ("signing profile", True),
    "kubernetes:core/v1:Namespace": ("namespace", True),
}
SECTION_LABELS = {
    "mlops:landingzone:TenantKeys": "Keys",
    "mlops:landingzone:AuditLogSink": "Audit sink",
    "mlops:landingzone:TenantNetwork": "Network",
    "mlops:landingzone:ImmutableRegistry": "Registries",
    "mlops:landingzone:TenantCluster": "Cluster",
    "mlops:landingzone:GpuNodePool": "GPU pools",
    "mlops:landingzone:TenantWorkspace": "Namespaces",
    "mlops:landingzone:TenantSecrets": "Secrets",
}
KEY_TYPE = "aws:kms/key:Key"
K8S_PROVIDER_TYPE = "pulumi:providers:kubernetes"


@dataclass
class _Box:
    id: str
    label: str
    section: str
    members: list[str] = field(default_factory=list)


def _escape(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


class _Graph:
    def __init__(self, resources: list[ResourceRef]) -> None:
        self.by_urn = {r.urn: r for r in resources}
        self.children: dict[str, list[ResourceRef]] = {}
        for r in resources:
            self.children.setdefault(r.parent, []).append(r)
        self.boxes: dict[str, _Box] = {}
        self.box_of: dict[str, str] = {}
        for r in resources:
            if r.type in NODE_TYPES:
                self._place(r)

    def section(self, resource: ResourceRef) -> str:
        """The component of the landing zone a resource belongs to: the top component's child on its
        parent chain. Resources outside any such component (e.g. added next to the landing zone)
        share one "Landing zone" group."""
        chain = [resource]
        while chain[-1].parent in self.by_urn:
            chain.append(self.by_urn[chain[-1].parent])
        if len(chain) < 2 or chain[-2].custom:
            return "Landing zone"
        return SECTION_LABELS.get(chain[-2].type, chain[-2].type.split(":")[-1])

    def _place(self, resource: ResourceRef) -> None:
        label, single = NODE_TYPES[resource.type]
        section = self.section(resource)
        key = resource.urn if single else f"{section}|{resource.type}"
        if key not in self.boxes:
            self.boxes[key] = _Box(f"n{len(self.boxes) + 1}", label, section)
        box = self.boxes[key]
        box.members.append(resource.urn)
        self.box_of[resource.urn] = key

    def label(self, box: _Box) -> str:
        if len(box.members) == 1 and NODE_TYPES[self.by_urn[box.members[0]].type][1]:
            return f"{box.label}<br/>{_escape(self.by_urn[box.members[0]].name)}"
        return f"{len(box.members)} {box.label}{'' if len(box.members) == 1 else 's'}"

    def nearest_boxes(self, urn: str, seen: set[str] | None = None) -> set[str]:
        """The boxes a resource stands for: itself, or the boxes its dependencies lead to."""
        if urn in self.box_of:
            return {self.box_of[urn]}
        seen = seen if seen is not None else set()
        if urn in seen or urn not in self.by_urn:
            return set()
        seen.add(urn)
        found: set[str] = set()
        for dependency in self.by_urn[urn].depends_on:
            found |= self.nearest_boxes(dependency, seen)
        return found

    def edges(self) -> list[tuple[str, str]]:
        pairs: set[tuple[str, str]] = set()
        for key, box in self.boxes.items():
            for member in box.members:
                resource = self.by_urn[member]
                dependencies = list(resource.depends_on)
                if resource.type.startswith("kubernetes:"):
                    # Kubernetes objects reach the cluster through their provider, a resource option
                    # the recording does not list as a dependency: take the component's provider's.
                    dependencies += [
                        dependency
                        for sibling in self.children.get(resource.parent, [])
                        if sibling.type == K8S_PROVIDER_TYPE
                        for dependency in sibling.depends_on
                    ]
                for dependency in dependencies:
                    for source in self.nearest_boxes(dependency):
                        if source != key:
                            pairs.add((source, key))
        return sorted(pairs, key=lambda p: (self.boxes[p[0]].id, self.boxes[p[1]].id))

    def box_for_finding(self, urn: str) -> str | None:
        """The box to highlight for a finding on `urn`: its own, else what it configures or sits in."""
        if urn in self.box_of:
            return self.box_of[urn]
        resource = self.by_urn.get(urn)
        if resource is None:
            return None
        # A bucket policy, versioning or lock configuration depends on the bucket it configures.
        direct = [self.box_of[d] for d in resource.depends_on if d in self.box_of]
        if direct:
            return direct[0]
        current: ResourceRef | None = resource
        while current is not None:
            for sibling in self.children.get(current.parent, []):
                if sibling.urn in self.box_of:
                    return self.box_of[sibling.urn]
            for child in self.children.get(current.urn, []):
                if child.urn in self.box_of:
                    return self.box_of[child.urn]
            current = self.by_urn.get(current.parent)
        return None


def mermaid(result: StackResult) -> str:
    """The flowchart source (without the ``` fence)."""
    graph = _Graph(result.resources)
    lines = ["flowchart LR"]
    sections: dict[str, list[_Box]] = {}
    for box in graph.boxes.values():
        sections.setdefault(box.section, []).append(box)
    for index, (section, boxes) in enumerate(sections.items(), start=1):
        lines.append(f'  subgraph s{index}["{_escape(section)}"]')
        lines.extend(f'    {box.id}["{graph.label(box)}"]' for box in boxes)
        lines.append("  end")
    for source, target in graph.edges():
        arrow = "-.->" if graph.by_urn[graph.boxes[source].members[0]].type == KEY_TYPE else "-->"
        lines.append(f"  {graph.boxes[source].id} {arrow} {graph.boxes[target].id}")
    lines.append("  classDef violation fill:#ffd6d6,stroke:#c00000,stroke-width:3px,color:#600000")
    lines.append("  classDef advisory fill:#fff3cd,stroke:#b58100,stroke-width:2px")
    violating = _highlighted(graph, (f.urn for f in result.findings if f.kind == VIOLATION))
    advisory = _highlighted(graph, (f.urn for f in result.findings if f.kind == ADVISORY)) - violating
    if violating:
        lines.append(f"  class {','.join(sorted(violating))} violation")
    if advisory:
        lines.append(f"  class {','.join(sorted(advisory))} advisory")
    return "\n".join(lines)


def _highlighted(graph: _Graph, urns: Iterable[str]) -> set[str]:
    ids = set()
    for urn in urns:
        key = graph.box_for_finding(urn) if urn else None
        if key is not None:
            ids.add(graph.boxes[key].id)
    return ids


def violating_boxes(result: StackResult) -> set[str]:
    """Box ids highlighted as violations (for tests and the plan view)."""
    graph = _Graph(result.resources)
    return _highlighted(graph, (f.urn for f in result.findings if f.kind == VIOLATION))
