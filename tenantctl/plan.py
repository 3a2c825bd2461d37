"""`tenantctl plan`: what `pulumi up` would create for a stack, by component, and the policy verdict.

The tree follows the recorded parent chain (the landing zone component, its components, their
resources). Resources of one type under one component are listed on one line to keep a 150-resource
landing zone readable; resources with a violation are marked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from tenantctl.check import VIOLATION, ResourceRef, StackResult
from tenantctl.reports.terminal import plural, render_stack


def _short(name: str, prefix: str) -> str:
    return name[len(prefix) + 1 :] if prefix and name.startswith(prefix + "-") else name


def resource_tree(result: StackResult) -> Tree:
    by_urn = {r.urn: r for r in result.resources}
    children: dict[str, list[ResourceRef]] = {}
    for r in result.resources:
        children.setdefault(r.parent if r.parent in by_urn else "", []).append(r)
    violating = {f.urn for f in result.findings if f.kind == VIOLATION}
    custom = sum(1 for r in result.resources if r.custom)
    components = len(result.resources) - custom
    # Counted like `pulumi up` counts them: component resources are resources too.
    summary = (
        f"  {result.tenant or '?'} · {result.tier or '?'} · "
        f"{plural(len(result.resources), 'resource')} to create"
        f" ({custom} cloud and Kubernetes resources in {plural(components, 'component')})"
    )
    tree = Tree(Text.assemble((result.stack, "bold"), (summary, "dim")))
    _add(tree, "", children, violating, parent_name="")
    return tree


def _add(
    node: Tree, parent: str, children: dict[str, list[ResourceRef]], violating: set[str], parent_name: str
) -> None:
    kids = children.get(parent, [])
    for component in (r for r in kids if not r.custom):
        label = Text.assemble((component.type.split(":")[-1], "bold cyan"), (f" {component.name}", ""))
        _add(node.add(label), component.urn, children, violating, component.name)
    by_type: dict[str, list[ResourceRef]] = {}
    for resource in (r for r in kids if r.custom):
        by_type.setdefault(resource.type, []).append(resource)
    for type_, resources in by_type.items():
        line = Text("+ ", style="green")
        line.append(type_)
        if len(resources) > 1:
            line.append(f" x{len(resources)}", style="bold")
        line.append("  ")
        for index, resource in enumerate(resources):
            if index:
                line.append(", ")
            bad = resource.urn in violating
            line.append(_short(resource.name, parent_name), style="bold red" if bad else "dim")
            if bad:
                line.append(" ✗", style="bold red")
        node.add(line)


def type_counts(resources: Iterable[ResourceRef]) -> Table:
    counts = Counter(r.type for r in resources if r.custom)
    table = Table(title="resources by type", show_header=True, header_style="bold", title_justify="left")
    table.add_column("Type")
    table.add_column("Count", justify="right")
    for type_, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        table.add_row(type_, str(count))
    table.add_row(
        Text("total (without components)", style="bold"), Text(str(sum(counts.values())), style="bold")
    )
    return table


def render_plan(console: Console, result: StackResult, strict: bool) -> None:
    if result.status == "ok":
        console.print(resource_tree(result))
        console.print(type_counts(result.resources))
    console.print(Text("policy verdict", style="bold underline"))
    render_stack(console, result, strict)
    console.print()
