"""Network analysis for the data-leakage rules.

Long (about 530 lines) on purpose: security-group rule reading, CIDR arithmetic and topology walks
share one `SgRule` shape and its helpers; split apart, each part would import most of the others.

Security-group rules (inline, legacy standalone and `aws:vpc` rules) are read into one shape, `SgRule`,
so the rules judge sources, destinations, protocols and ports the same way whatever resource declared
them. CIDR helpers decide what "the whole internet" and "inside the tenant's network" mean. Topology
helpers follow references between resources of one stack (route table -> subnet, endpoint -> VPC),
through property dependencies first, so they work in a first preview where ids are still unknown.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from mlops_policies import typemap
from mlops_policies.props import UNKNOWN, UnknownValueError, as_bool, as_int, as_list, as_str, get, known
from mlops_policies.rule import StackCheck, Undecided, label

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
VPC_EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
DEFAULT_VPC = "aws:ec2/defaultVpc:DefaultVpc"
DEFAULT_SUBNET = "aws:ec2/defaultSubnet:DefaultSubnet"
VPCS = typemap.types("ec2.vpc")
"""Vpc and DefaultVpc (the region's default VPC adopted into the stack)."""
SUBNETS = typemap.types("ec2.subnet")
"""Subnet and DefaultSubnet."""
LOAD_BALANCERS = typemap.types("elb.load-balancer")
"""Application/network (aws:lb, aws:alb) and Classic (aws:elb) load balancers."""
PEERINGS = tuple(t for t in typemap.types("ec2.peering") if "Accepter" not in t)
PEERING_ACCEPTERS = tuple(t for t in typemap.types("ec2.peering") if "Accepter" in t)
INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway"
EGRESS_ONLY_GATEWAY = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway"
VPN_GATEWAY = "aws:ec2/vpnGateway:VpnGateway"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
DEFAULT_ROUTE_TABLE = "aws:ec2/defaultRouteTable:DefaultRouteTable"
ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
MAIN_ROUTE_TABLE_ASSOCIATION = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"

OPEN_IPV4 = "0.0.0.0/0"
OPEN_IPV6 = "::/0"
MAX_PORT = 65535

# Where a route sends traffic: the target inputs of aws.ec2.Route (and the inline routes of route tables).
ROUTE_TARGETS = (
    "gatewayId", "natGatewayId", "egressOnlyGatewayId", "transitGatewayId", "vpcPeeringConnectionId",
    "networkInterfaceId", "vpcEndpointId", "carrierGatewayId", "localGatewayId", "coreNetworkArn",
    "instanceId",
)  # fmt: skip
_PROTOCOL_NAMES = {"-1": "all", "all": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


# ---------------------------------------------------------------- CIDRs


def parse_cidr(value: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A network for a CIDR string (host bits tolerated); None for anything that is not one."""
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None


def is_open(cidr: Any) -> bool:
    """Whether one CIDR reaches the internet: 0.0.0.0/0, ::/0, any spelling of them, or any network
    reaching `OPEN_SHARE` of the public space on its own (0.0.0.0/1, 2000::/4, ...)."""
    network = parse_cidr(cidr)
    return network is not None and (network.prefixlen == 0 or open_together([cidr]))


Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# "The internet", per address family: the globally reachable unicast space. Everything else (RFC 1918,
# shared CGN space, loopback, link-local, documentation, benchmarking, multicast, reserved) is left out,
# so a set that covers every public address reaches the internet even when it skips 10.0.0.0/8.
_NOT_PUBLIC_V4 = (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
)  # fmt: skip
_PUBLIC_V6 = ipaddress.ip_network("2000::/3")
_NOT_PUBLIC_V6 = ("2001:db8::/32",)
OPEN_SHARE = 0.125
"""A CIDR set reaching at least this share of a family's public space is the internet: one rule for
0.0.0.0/0, 0.0.0.0/1 + 128.0.0.0/1, 0.0.0.0/0 minus RFC 1918, or a single /2 or /3 (some 500 million
addresses and more). Allowlists of specific destinations are nowhere near it (52.0.0.0/8 is 0.45%),
and a set just short of 100% is no less open than one that reaches 100%."""


def _minus(space: list[Network], holes: Iterable[Network]) -> list[Network]:
    pieces = list(space)
    for hole in holes:
        next_pieces: list[Network] = []
        for piece in pieces:
            if piece.version != hole.version or not piece.overlaps(hole):
                next_pieces.append(piece)
            elif piece.subnet_of(hole):  # type: ignore[arg-type]
                continue
            else:
                next_pieces.extend(piece.address_exclude(hole))  # type: ignore[arg-type]
        pieces = next_pieces
    return pieces


def _public_space(version: int) -> list[Network]:
    if version == 4:
        universe: list[Network] = [ipaddress.ip_network("0.0.0.0/0")]
        return _minus(universe, (ipaddress.ip_network(c) for c in _NOT_PUBLIC_V4))
    return _minus([_PUBLIC_V6], (ipaddress.ip_network(c) for c in _NOT_PUBLIC_V6))


_PUBLIC = {4: _public_space(4), 6: _public_space(6)}
_PUBLIC_SIZE = {version: sum(n.num_addresses for n in nets) for version, nets in _PUBLIC.items()}


def collapse(cidrs: Iterable[Any]) -> dict[int, list[Network]]:
    """The CIDR strings of `cidrs` (others ignored) merged into the fewest networks, per family."""
    networks = [n for n in (parse_cidr(c) for c in cidrs) if n is not None]
    return {
        version: list(ipaddress.collapse_addresses([n for n in networks if n.version == version]))  # type: ignore[type-var]
        for version in (4, 6)
    }


def public_share(cidrs: Iterable[Any]) -> dict[int, float]:
    """The share (0..1) of each family's public address space that the CIDRs together reach."""
    shares = {}
    for version, networks in collapse(cidrs).items():
        covered = 0
        for net in networks:
            for piece in _PUBLIC[version]:
                if net.subnet_of(piece):  # type: ignore[arg-type]
                    covered += net.num_addresses
                elif piece.subnet_of(net):  # type: ignore[arg-type]
                    covered += piece.num_addresses
        shares[version] = covered / _PUBLIC_SIZE[version]
    return shares


def open_together(cidrs: Iterable[Any], share: float = OPEN_SHARE) -> bool:
    """Whether CIDRs, together, reach the internet: at least `share` of the public IPv4 or IPv6 space
    (0.0.0.0/1 + 128.0.0.0/1, ::/1 + 8000::/1, 0.0.0.0/0 minus RFC 1918, 0.0.0.0/1 alone ...)."""
    return any(value >= share for value in public_share(cidrs).values())


def inside(cidr: Any, container: str | None) -> bool:
    """Whether `cidr` lies entirely inside `container` (e.g. the tenant's VPC CIDR)."""
    inner, outer = parse_cidr(cidr), parse_cidr(container)
    if inner is None or outer is None or inner.version != outer.version:
        return False
    return inner.subnet_of(outer)  # type: ignore[arg-type]


# ---------------------------------------------------------------- security-group rules


@dataclass(frozen=True)
class SgRule:
    """One ingress or egress permission, whatever resource declared it.

    `where` names it in messages ("ingress[0]" for inline rules, "" for standalone rule resources).
    `cidrs` and `prefix_lists` keep the input name each value came from, so messages can name it.
    """

    where: str
    direction: str
    protocol: str
    from_port: int | None
    to_port: int | None
    cidrs: tuple[tuple[str, str], ...]
    prefix_lists: tuple[tuple[str, str], ...]
    security_groups: bool

    @property
    def all_traffic(self) -> bool:
        """All protocols, or every port of a protocol (0-65535 or 1-65535; AWS ignores ports for -1)."""
        if self.protocol == "all":
            return True
        if self.protocol not in {"tcp", "udp"}:
            return False
        low, high = self.from_port, self.to_port
        return low is None or high is None or (low <= 1 and high >= MAX_PORT)

    @property
    def only_https(self) -> bool:
        return self.protocol == "tcp" and self.from_port == 443 and self.to_port == 443

    def traffic(self) -> str:
        """How messages describe what the rule lets through."""
        if self.all_traffic:
            return "all traffic" if self.protocol == "all" else f"all {self.protocol} ports"
        if self.protocol in {"tcp", "udp"}:
            same = self.from_port == self.to_port
            return f"{self.protocol} {self.from_port}" + ("" if same else f"-{self.to_port}")
        return self.protocol

    def open_cidrs(self) -> list[tuple[str, str]]:
        """The rule's CIDRs that reach the whole internet, alone or together."""
        single = [(prop, cidr) for prop, cidr in self.cidrs if is_open(cidr)]
        if single:
            return single
        return list(self.cidrs) if open_together(cidr for _, cidr in self.cidrs) else []


def _protocol(value: Any) -> str:
    # An unreadable protocol is judged as all protocols: fail closed rather than assume a narrow rule.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return "all"
    text = value.strip().lower()
    return _PROTOCOL_NAMES.get(text, text)


def _strings(entry: Any, prop: str, where: str, *, unknown_ok: bool = False) -> tuple[tuple[str, str], ...]:
    """Each string value of a list-or-scalar input, with the input's name for messages.

    CIDRs must be known to be judged (an unknown one raises); a prefix list or security group only needs
    to be present (`unknown_ok`), since what matters is that the peer is not a CIDR.
    """
    name = f"{where}.{prop}" if where else prop
    raw = known(entry, prop) if unknown_ok else get(entry, prop)
    values = [raw] if raw is UNKNOWN or isinstance(raw, str) else raw if isinstance(raw, Sequence) else []
    found = []
    for index in range(len(values)):
        value = known(values, index) if unknown_ok else get(values, index)
        if value is UNKNOWN:
            found.append((name, "(unknown until apply)"))
        elif isinstance(value, str) and value.strip():
            found.append((name, value))
    return tuple(found)


def _present(entry: Any, *props: str) -> bool:
    """Whether any of the inputs is set; unknown counts as set (it will hold an id after apply)."""
    return any(_strings(entry, prop, "", unknown_ok=True) for prop in props)


def _inline_rule(entry: Mapping[str, Any], where: str, direction: str) -> SgRule:
    return SgRule(
        where=where,
        direction=direction,
        protocol=_protocol(get(entry, "protocol")),
        from_port=as_int(get(entry, "fromPort")),
        to_port=as_int(get(entry, "toPort")),
        cidrs=_strings(entry, "cidrBlocks", where) + _strings(entry, "ipv6CidrBlocks", where),
        prefix_lists=_strings(entry, "prefixListIds", where, unknown_ok=True),
        security_groups=_present(entry, "securityGroups") or as_bool(known(entry, "self")) is True,
    )


def _legacy_rule(props: Mapping[str, Any]) -> SgRule:
    return SgRule(
        where="",
        direction=as_str(get(props, "type")) or "",
        protocol=_protocol(get(props, "protocol")),
        from_port=as_int(get(props, "fromPort")),
        to_port=as_int(get(props, "toPort")),
        cidrs=_strings(props, "cidrBlocks", "") + _strings(props, "ipv6CidrBlocks", ""),
        prefix_lists=_strings(props, "prefixListIds", "", unknown_ok=True),
        security_groups=_present(props, "sourceSecurityGroupId") or as_bool(known(props, "self")) is True,
    )


def _vpc_rule(props: Mapping[str, Any], direction: str) -> SgRule:
    return SgRule(
        where="",
        direction=direction,
        protocol=_protocol(get(props, "ipProtocol")),
        from_port=as_int(get(props, "fromPort")),
        to_port=as_int(get(props, "toPort")),
        cidrs=_strings(props, "cidrIpv4", "") + _strings(props, "cidrIpv6", ""),
        prefix_lists=_strings(props, "prefixListId", "", unknown_ok=True),
        security_groups=_present(props, "referencedSecurityGroupId"),
    )


def sg_rules(
    resource_type: str, props: Mapping[str, Any], direction: str
) -> tuple[list[SgRule], UnknownValueError | None]:
    """The `direction` rules a resource declares, plus the first unknown value that hid a rule.

    Why not just let the unknown propagate: one inline rule with an unknown CIDR must not hide a known
    0.0.0.0/0 rule next to it. The caller reports the known rules, then re-raises the unknown.
    """
    try:
        if resource_type in {SECURITY_GROUP, DEFAULT_SECURITY_GROUP}:
            entries = as_list(get(props, direction))
        elif resource_type == SECURITY_GROUP_RULE:
            rule = _legacy_rule(props)
            return ([rule] if rule.direction == direction else []), None
        elif resource_type == (VPC_INGRESS_RULE if direction == "ingress" else VPC_EGRESS_RULE):
            return [_vpc_rule(props, direction)], None
        else:
            return [], None
    except UnknownValueError as unknown:
        return [], unknown
    rules: list[SgRule] = []
    first_unknown: UnknownValueError | None = None
    for index, entry in enumerate(entries):
        try:
            if isinstance(entry, Mapping):
                rules.append(_inline_rule(entry, f"{direction}[{index}]", direction))
        except UnknownValueError as unknown:
            first_unknown = first_unknown or unknown
    return rules, first_unknown


def describe_values(values: Sequence[tuple[str, str]]) -> str:
    """Each value with the input it came from, e.g. "cidrBlocks '0.0.0.0/0', ipv6CidrBlocks '::/0'"."""
    return ", ".join(f"{prop} {value!r}" for prop, value in values)


# ---------------------------------------------------------------- references between resources


def refers_to(resource: PolicyResource, prop: str, target: PolicyResource, *path: str | int) -> bool | None:
    """Whether `resource`'s input `prop` (value at `path` inside it, if given) refers to `target`.

    True through a property dependency on the target, or a known value equal to the target's known
    id or ARN; None when the value is unknown and no dependency says where it comes from.
    """
    deps = resource.property_dependencies.get(prop) or []
    if any(dep.urn == target.urn for dep in deps):
        return True
    value = known(resource.props, prop, *path)
    if value is UNKNOWN:
        return False if deps else None
    identities = {known(target.props, key) for key in ("id", "arn")}
    return isinstance(value, str) and value in identities


def referrers(
    stack: StackCheck, target: PolicyResource, types: Sequence[str], prop: str
) -> list[PolicyResource]:
    """Resources of `types` referring to `target` through `prop`.

    When none does but some candidate cannot be matched (unknown value, no dependency information),
    raises `Undecided`: inside `stack.deciding(target)` the target is then deferred, not failed.
    """
    found, unresolved = [], []
    by_name = stack.attached_to(target, types, prop)
    for candidate in stack.of_type(*types):
        match = refers_to(candidate, prop, target)
        if match is True or candidate in by_name:
            found.append(candidate)
        elif match is None:
            unresolved.append(candidate)
    if not found and unresolved:
        reasons = [f"{label(c)} has an unknown {prop} without dependency information" for c in unresolved]
        raise Undecided(reasons)
    return found


def referenced(
    stack: StackCheck, resource: PolicyResource, prop: str, types: Sequence[str]
) -> PolicyResource | None:
    """The resource of `types` in this stack that `resource`'s input `prop` refers to, if any.

    Raises `Undecided` when the value is unknown and no dependency says which resource it comes from.
    """
    for candidate in stack.of_type(*types):
        if refers_to(resource, prop, candidate):
            return candidate
    value = known(resource.props, prop)
    if value is UNKNOWN and not resource.property_dependencies.get(prop):
        raise Undecided([f"{label(resource)} has an unknown {prop} without dependency information"])
    return None


STANDALONE_SG_RULES = tuple(
    t for t in typemap.types("ec2.security-group-rules") if t not in {SECURITY_GROUP, DEFAULT_SECURITY_GROUP}
)
"""Rule resources that add one permission to a security group named by their securityGroupId."""


def default_group_of(stack: StackCheck, rule: PolicyResource) -> PolicyResource | None:
    """The DefaultSecurityGroup, Vpc or DefaultVpc whose default security group a standalone rule
    resource adds to; None when it adds to another group.

    By property dependency first: on a DefaultSecurityGroup, or on a VPC and no SecurityGroup (a VPC's
    only security-group output is its defaultSecurityGroupId). Then by known value: a
    DefaultSecurityGroup's id or a VPC's defaultSecurityGroupId. Raises `Undecided` when the value is
    unknown with no dependency information.
    """
    deps = rule.property_dependencies.get("securityGroupId") or []
    kinds = {dep.resource_type for dep in deps}
    for dep in deps:
        if dep.resource_type == DEFAULT_SECURITY_GROUP:
            return dep
    if SECURITY_GROUP not in kinds:
        for dep in deps:
            if dep.resource_type in VPCS:
                return dep
    value = known(rule.props, "securityGroupId")
    if value is UNKNOWN and not deps:
        raise Undecided([f"{label(rule)} has an unknown securityGroupId without dependency information"])
    if isinstance(value, str) and value:
        for group in stack.of_type(DEFAULT_SECURITY_GROUP):
            if known(group.props, "id") == value:
                return group
        for vpc in stack.of_type(*VPCS):
            if known(vpc.props, "defaultSecurityGroupId") == value:
                return vpc
    return None


# ---------------------------------------------------------------- routes and the subnets they serve


@dataclass(frozen=True)
class Route:
    """One route: a standalone aws.ec2.Route ("" where), or one entry of a route table's inline `routes`."""

    where: str
    destination: str | None
    target: str | None
    target_value: Any

    @property
    def to_internet(self) -> bool:
        return self.destination is not None and is_open(self.destination)

    @property
    def destination_text(self) -> str:
        if self.destination is None:
            return "no destination"
        return self.destination if self.destination.startswith("prefix list") else repr(self.destination)

    @property
    def dependency_prop(self) -> str:
        """The input whose property dependencies say where this route's target comes from."""
        return "routes" if self.where else self.target or ""


def routes_of(resource_type: str, props: Mapping[str, Any]) -> tuple[list[Route], UnknownValueError | None]:
    """The routes a Route or route table declares, plus the first unknown destination that hid one.

    Targets may stay unknown (they are resolved through dependencies); an unknown destination cannot
    be judged, so that route is held back and the unknown returned for the caller to re-raise last.
    """
    try:
        if resource_type == ROUTE:
            return [_route(props, "", "destinationCidrBlock", "destinationIpv6CidrBlock")], None
        if resource_type not in {ROUTE_TABLE, DEFAULT_ROUTE_TABLE}:
            return [], None
        entries = as_list(get(props, "routes"))
    except UnknownValueError as unknown:
        return [], unknown
    found: list[Route] = []
    first_unknown: UnknownValueError | None = None
    for index, entry in enumerate(entries):
        try:
            if isinstance(entry, Mapping):
                found.append(_route(entry, f"routes[{index}]", "cidrBlock", "ipv6CidrBlock"))
        except UnknownValueError as unknown:
            first_unknown = first_unknown or unknown
    return found, first_unknown


def _route(entry: Mapping[str, Any], where: str, v4: str, v6: str) -> Route:
    destination = None
    for prop in (v4, v6):
        value = get(entry, prop)
        if isinstance(value, str) and value:
            destination = value
            break
    else:
        prefix_list = known(entry, "destinationPrefixListId")
        if prefix_list is UNKNOWN or (isinstance(prefix_list, str) and prefix_list):
            shown = "(unknown until apply)" if prefix_list is UNKNOWN else repr(prefix_list)
            destination = f"prefix list {shown}"
    for prop in ROUTE_TARGETS:
        value = known(entry, prop)
        if value is not None and value != "":
            return Route(where, destination, prop, value)
    return Route(where, destination, None, None)


def targets_internet_gateway(owner: PolicyResource, route: Route) -> bool | None:
    """Whether a route's gatewayId is an internet gateway (igw-...), by value or by dependency."""
    if route.target != "gatewayId":
        return False
    if isinstance(route.target_value, str):
        return route.target_value.startswith("igw-")
    kinds = {dep.resource_type for dep in owner.property_dependencies.get(route.dependency_prop) or []}
    if INTERNET_GATEWAY in kinds and VPN_GATEWAY not in kinds:
        return True
    return False if VPN_GATEWAY in kinds else None


def route_table_of(stack: StackCheck, owner: PolicyResource) -> PolicyResource | None:
    """The route table in this stack that holds `owner`'s routes; None when it lives outside this stack."""
    if owner.resource_type != ROUTE:
        return owner
    return referenced(stack, owner, "routeTableId", [ROUTE_TABLE, DEFAULT_ROUTE_TABLE])


def egress_table_problem(stack: StackCheck, table: PolicyResource | None) -> str | None:
    """Why a route table is not an egress route table; None when it serves only subnets tagged tier=egress."""
    if table is None:
        return "a route table outside this stack, whose subnets cannot be shown to be egress subnets"
    if table.resource_type == DEFAULT_ROUTE_TABLE or referrers(
        stack, table, [MAIN_ROUTE_TABLE_ASSOCIATION], "routeTableId"
    ):
        return f"{label(table)}, the VPC's main route table (used by every subnet without its own)"
    associations = referrers(stack, table, [ROUTE_TABLE_ASSOCIATION], "routeTableId")
    subnets = [a for a in associations if known(a.props, "subnetId") is not None]
    if not subnets:
        return f"{label(table)}, which is associated with no subnet"
    for association in subnets:
        subnet = referenced(stack, association, "subnetId", [SUBNET])
        if subnet is None:
            return f"{label(table)}, associated with a subnet outside this stack"
        tier = get(subnet.props, "tags", "tier")
        if tier != "egress":
            shown = "missing" if tier is None else repr(tier)
            return f"{label(table)}, associated with {label(subnet)} (tags.tier {shown})"
    return None
