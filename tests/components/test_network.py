"""TenantNetwork: private by default (DATA-01), locked default SG, flow logs (AUD-04), private endpoints
(DATA-06), and with nat-allowlist, NAT in dedicated egress subnets and 443-only egress to the allowlist
(DATA-02)."""

from __future__ import annotations

import ipaddress
from itertools import combinations

import pytest

from components import TenantNetwork
from landingzone.config import Egress
from tests.components.recording import (
    REGION,
    UNKNOWN,
    ZONES,
    Recording,
    depends_on,
    document,
    mock_id,
    property_errors,
    record,
    refused,
    statement,
)
from tests.components.scenarios import BUCKETS, FLOW_LOG_GROUP_NAME, NAT_ALLOWLIST, network_args

VPC_CIDR = "10.1.0.0/16"
REQUIRED_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "kms", "logs"]
INTERNET_TYPES = [
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/eip:Eip",
]


@pytest.fixture(scope="module")
def closed(recorded) -> Recording:
    """egress none, three AZs."""
    return recorded("network-none")


@pytest.fixture(scope="module")
def nat(recorded) -> Recording:
    """egress nat-allowlist, two AZs, allowlist of two CIDRs and a prefix list."""
    return recorded("network-nat")


def _subnets(network: Recording, tier: str) -> list:
    return [s for s in network.of_type("aws:ec2/subnet:Subnet") if s.inputs["tags"]["tier"] == tier]


def _egress_rules(network: Recording, sg_name: str) -> list[dict]:
    return network.named(sg_name).inputs["egress"]


# ---------------------------------------------------------------- egress none


def test_network_without_egress_has_no_internet_gateway_nat_or_public_address(closed):
    for type_token in INTERNET_TYPES:
        assert closed.of_type(type_token) == [], type_token


def test_network_without_egress_has_no_route_to_the_internet(closed):
    routes = closed.of_type("aws:ec2/route:Route")
    assert [r for r in routes if r.inputs.get("destinationCidrBlock") == "0.0.0.0/0"] == []
    assert routes == []


def test_the_vpc_has_the_configured_cidr_and_private_dns(closed):
    vpc = closed.one("aws:ec2/vpc:Vpc")
    assert vpc.inputs["cidrBlock"] == VPC_CIDR
    assert vpc.inputs["enableDnsSupport"] is True
    assert vpc.inputs["enableDnsHostnames"] is True
    assert vpc.inputs["tags"]["Name"] == "acme-vpc"


def test_there_is_one_private_subnet_per_availability_zone_without_public_addresses(closed):
    private = _subnets(closed, "private")
    assert sorted(s.inputs["availabilityZone"] for s in private) == ZONES
    assert len(closed.of_type("aws:ec2/subnet:Subnet")) == len(ZONES)
    for subnet in private:
        assert subnet.inputs["mapPublicIpOnLaunch"] is False
        assert subnet.inputs["vpcId"] == mock_id("acme-network-vpc")


def test_private_subnets_lie_inside_the_vpc_and_do_not_overlap(closed):
    vpc = ipaddress.ip_network(VPC_CIDR)
    blocks = [ipaddress.ip_network(s.inputs["cidrBlock"]) for s in _subnets(closed, "private")]
    assert all(block.subnet_of(vpc) for block in blocks)
    assert not any(a.overlaps(b) for a, b in combinations(blocks, 2))


def test_each_private_subnet_has_its_own_route_table(closed):
    for zone in ZONES:
        association = closed.named(f"private-{zone}-rta")
        assert association.inputs["subnetId"] == mock_id(f"acme-network-private-{zone}")
        assert association.inputs["routeTableId"] == mock_id(f"acme-network-private-{zone}-rt")


def test_the_default_security_group_is_managed_with_no_rules(closed):
    default = closed.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default.inputs["ingress"] == []
    assert default.inputs["egress"] == []
    assert depends_on(default, closed.one("aws:ec2/vpc:Vpc"), "vpcId")


def test_flow_logs_record_all_traffic_into_the_given_log_group(closed):
    flow_log = closed.one("aws:ec2/flowLog:FlowLog")
    log_group = closed.named("fixture-flow-logs")
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["logDestinationType"] == "cloud-watch-logs"
    assert flow_log.inputs["logDestination"] == "arn:aws:cloudwatch:us-east-1:111122223333:fixture-flow-logs"
    assert depends_on(flow_log, log_group, "logDestination")
    assert flow_log.inputs["vpcId"] == mock_id("acme-network-vpc")
    assert flow_log.inputs["iamRoleArn"] == "arn:aws:iam::111122223333:role/acme-vpc-flow-logs"


def test_the_flow_log_role_may_write_only_to_the_flow_log_group(closed):
    role = closed.named("flow-logs-role")
    trust = document(role, "assumeRolePolicy")["Statement"]
    assert [s["Principal"] for s in trust] == [{"Service": "vpc-flow-logs.amazonaws.com"}]
    assert trust[0]["Condition"] == {"StringEquals": {"aws:SourceAccount": "111122223333"}}
    write = statement(closed.named("flow-logs-policy"), "WriteFlowLogsToTheAuditSink")
    arn = f"arn:aws:logs:{REGION}:111122223333:log-group:{FLOW_LOG_GROUP_NAME}"
    assert write["Resource"] == [arn, f"{arn}:*"]
    assert set(write["Action"]) == {"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}


def test_the_s3_gateway_endpoint_policy_lists_exactly_the_tenants_buckets(closed):
    endpoint = closed.named("s3-endpoint")
    assert endpoint.inputs["vpcEndpointType"] == "Gateway"
    assert endpoint.inputs["serviceName"] == f"com.amazonaws.{REGION}.s3"
    arns = {f"arn:aws:s3:::{name}" for name in BUCKETS.values()}
    tenant = statement(endpoint, "TenantBucketsOnly")
    assert set(tenant["Resource"]) == arns | {f"{arn}/*" for arn in arns}
    assert len(tenant["Resource"]) == 2 * len(BUCKETS)
    # The only other statement lets ECR's image layers (in AWS's bucket) be pulled, read-only.
    others = [s for s in document(endpoint)["Statement"] if s["Sid"] != "TenantBucketsOnly"]
    assert others == [
        {
            "Sid": "EcrImageLayers",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::prod-{REGION}-starport-layer-bucket/*",
        }
    ]


def test_the_s3_gateway_endpoint_serves_the_private_route_tables(closed):
    endpoint = closed.named("s3-endpoint")
    assert sorted(endpoint.inputs["routeTableIds"]) == sorted(
        mock_id(f"acme-network-private-{zone}-rt") for zone in ZONES
    )


def test_required_aws_apis_have_interface_endpoints_with_private_dns_in_the_private_subnets(closed):
    private_subnet_ids = sorted(mock_id(f"acme-network-private-{zone}") for zone in ZONES)
    for service in REQUIRED_INTERFACE_ENDPOINTS:
        endpoint = closed.named(f"{service.replace('.', '-')}-endpoint")
        assert endpoint.inputs["serviceName"] == f"com.amazonaws.{REGION}.{service}"
        assert endpoint.inputs["vpcEndpointType"] == "Interface"
        assert endpoint.inputs["privateDnsEnabled"] is True
        assert sorted(endpoint.inputs["subnetIds"]) == private_subnet_ids
        assert endpoint.inputs["securityGroupIds"] == [mock_id("acme-network-endpoints-sg")]


def test_interface_endpoints_accept_only_https_from_inside_the_vpc(closed):
    sg = closed.named("endpoints-sg")
    assert [(r["protocol"], r["fromPort"], r["toPort"], r["cidrBlocks"]) for r in sg.inputs["ingress"]] == [
        ("tcp", 443, 443, [VPC_CIDR])
    ]
    assert sg.inputs["egress"] == []


def test_without_egress_workloads_may_only_talk_inside_the_vpc_and_to_s3_through_its_endpoint(closed):
    rules = _egress_rules(closed, "workloads-sg")
    assert [(r["protocol"], r.get("cidrBlocks"), r["fromPort"]) for r in rules] == [
        ("-1", [VPC_CIDR], 0),
        ("tcp", None, 443),
    ]
    # The prefix list is the endpoint's own output: one entry, computed from the endpoint.
    assert len(rules[1]["prefixListIds"]) == 1
    assert depends_on(closed.named("workloads-sg"), closed.named("s3-endpoint"), "egress")


def test_workloads_accept_traffic_only_from_each_other_and_the_control_plane(closed):
    workloads = closed.named("workloads-sg")
    control_plane = mock_id("acme-network-control-plane-sg")
    ingress = [
        (r["protocol"], r["fromPort"], r["toPort"], r.get("self", False), r.get("securityGroups", []))
        for r in workloads.inputs["ingress"]
    ]
    assert ingress == [
        ("-1", 0, 0, True, []),
        ("tcp", 443, 443, False, [control_plane]),
        ("tcp", 1025, 65535, False, [control_plane]),
    ]
    assert all("cidrBlocks" not in r and "ipv6CidrBlocks" not in r for r in workloads.inputs["ingress"])
    assert depends_on(workloads, closed.named("control-plane-sg"), "ingress")


def test_the_control_plane_group_talks_only_to_the_workloads_group(closed):
    group = closed.named("control-plane-sg")
    assert group.inputs["name"] == "acme-eks-control-plane"
    assert "ingress" not in group.inputs
    assert "egress" not in group.inputs
    rules = [
        *closed.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        *closed.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
    ]
    assert sorted(
        (r.type.split(":")[-1], r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"])
        for r in rules
    ) == [("SecurityGroupEgressRule", "tcp", 443, 65535), ("SecurityGroupIngressRule", "tcp", 443, 443)]
    for rule in rules:
        assert rule.inputs["securityGroupId"] == mock_id("acme-network-control-plane-sg")
        assert rule.inputs["referencedSecurityGroupId"] == mock_id("acme-network-workloads-sg")
        assert "cidrIpv4" not in rule.inputs
        assert "cidrIpv6" not in rule.inputs


EGRESS_RULE_TYPES = {
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
}


def _reaches_s3_endpoint(network: Recording) -> bool:
    """Whether the workloads group's egress names the S3 gateway endpoint (its prefix list), inline or not.

    Read from a preview: the endpoint's prefix list id is computed, so only its dependency shows.
    """
    workloads, endpoint = network.named("workloads-sg"), network.named("s3-endpoint")
    inline = depends_on(workloads, endpoint, "egress")
    standalone = any(
        rule.type in EGRESS_RULE_TYPES
        and depends_on(rule, workloads)
        and depends_on(rule, endpoint)
        and rule.inputs.get("type", "egress") == "egress"
        for rule in network.resources
    )
    return inline or standalone


@pytest.mark.parametrize("mode", ["network-none", "network-nat"])
def test_workloads_may_reach_the_s3_gateway_endpoint(recorded, mode):
    assert _reaches_s3_endpoint(recorded(mode, True))


# ---------------------------------------------------------------- egress nat-allowlist


def test_nat_allowlist_network_has_one_internet_gateway_and_one_nat_per_zone(nat):
    assert len(nat.of_type("aws:ec2/internetGateway:InternetGateway")) == 1
    assert len(nat.of_type("aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway")) == 0
    gateways = nat.of_type("aws:ec2/natGateway:NatGateway")
    assert sorted(g.name for g in gateways) == [f"acme-network-nat-{zone}" for zone in ZONES[:2]]


def test_nat_gateways_sit_in_the_egress_subnets_with_their_own_address(nat, recorded):
    # The mock computes no allocationId, so the address's link shows in a preview (as an unknown).
    preview = recorded("network-nat", True)
    for zone in ZONES[:2]:
        gateway = nat.named(f"nat-{zone}")
        assert gateway.inputs["subnetId"] == mock_id(f"acme-network-egress-{zone}")
        previewed = preview.named(f"nat-{zone}")
        assert previewed.inputs["allocationId"] == UNKNOWN
        assert depends_on(previewed, preview.named(f"nat-{zone}-eip"), "allocationId")
        assert nat.named(f"nat-{zone}-eip").inputs["domain"] == "vpc"
        assert depends_on(gateway, nat.one("aws:ec2/internetGateway:InternetGateway"))


def test_egress_subnets_are_tagged_egress_private_and_apart_from_the_private_subnets(nat):
    vpc = ipaddress.ip_network(VPC_CIDR)
    egress = _subnets(nat, "egress")
    private = _subnets(nat, "private")
    assert sorted(s.inputs["availabilityZone"] for s in egress) == ZONES[:2]
    assert sorted(s.inputs["availabilityZone"] for s in private) == ZONES[:2]
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in egress + private)
    blocks = [ipaddress.ip_network(s.inputs["cidrBlock"]) for s in egress + private]
    assert all(block.subnet_of(vpc) for block in blocks)
    assert not any(a.overlaps(b) for a, b in combinations(blocks, 2))


def test_private_subnets_route_to_the_internet_only_through_their_zones_nat(nat):
    for zone in ZONES[:2]:
        route = nat.named(f"private-{zone}-nat-route")
        assert route.inputs == {
            "destinationCidrBlock": "0.0.0.0/0",
            "routeTableId": mock_id(f"acme-network-private-{zone}-rt"),
            "natGatewayId": mock_id(f"acme-network-nat-{zone}"),
        }


def test_only_the_egress_route_table_routes_to_the_internet_gateway(nat):
    via_gateway = [r for r in nat.of_type("aws:ec2/route:Route") if "gatewayId" in r.inputs]
    assert [(r.inputs["routeTableId"], r.inputs["gatewayId"]) for r in via_gateway] == [
        (mock_id("acme-network-egress-rt"), mock_id("acme-network-igw"))
    ]
    assert nat.named("egress-rt").inputs["tags"]["tier"] == "egress"
    for zone in ZONES[:2]:
        association = nat.named(f"egress-{zone}-rta")
        assert association.inputs["subnetId"] == mock_id(f"acme-network-egress-{zone}")
        assert association.inputs["routeTableId"] == mock_id("acme-network-egress-rt")
    default_routes = [
        r for r in nat.of_type("aws:ec2/route:Route") if r.inputs["destinationCidrBlock"] == "0.0.0.0/0"
    ]
    assert len(default_routes) == 1 + len(ZONES[:2])


def test_workloads_may_leave_the_vpc_only_on_443_to_the_allowlist(nat):
    rules = _egress_rules(nat, "workloads-sg")
    assert len(rules) == 3
    internal, s3, https = rules
    assert (s3["protocol"], s3["fromPort"], s3["toPort"], "cidrBlocks" in s3) == ("tcp", 443, 443, False)
    assert (internal["protocol"], internal["cidrBlocks"]) == ("-1", [VPC_CIDR])
    assert (https["protocol"], https["fromPort"], https["toPort"]) == ("tcp", 443, 443)
    assert https["cidrBlocks"] == ["203.0.113.0/24", "198.51.100.0/24"]
    assert https["prefixListIds"] == ["pl-0a1b2c3d4e5f60718"]
    for rule in rules:
        assert "0.0.0.0/0" not in rule.get("cidrBlocks", [])
        assert "::/0" not in rule.get("ipv6CidrBlocks", [])


def test_nat_allowlist_network_keeps_the_private_endpoints_and_flow_logs(nat):
    assert nat.one("aws:ec2/flowLog:FlowLog").inputs["trafficType"] == "ALL"
    services = {e.inputs["serviceName"] for e in nat.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert {f"com.amazonaws.{REGION}.{s}" for s in ["s3", *REQUIRED_INTERFACE_ENDPOINTS]} <= services
    assert nat.named("default-sg").inputs["egress"] == []


# ---------------------------------------------------------------- args validation (at construction)


def _refused(**overrides) -> list[tuple[str, str]]:
    return property_errors(refused(lambda: TenantNetwork("acme-network", network_args(**overrides))))


def test_network_args_name_every_problem_at_once_with_its_property_path():
    error = refused(
        lambda: TenantNetwork(
            "acme-network",
            network_args(interface_endpoints=["sts"], egress=Egress.NAT_ALLOWLIST, egress_allowlist=[]),
        )
    )
    assert property_errors(error) == [
        ("egress_allowlist", "required (at least one entry) with egress nat-allowlist"),
        ("interface_endpoints", "must include ['ecr.api', 'ecr.dkr', 'kms', 'logs'] (DATA-06)"),
    ]
    assert str(error) == (
        "TenantNetwork acme-network: invalid args: egress_allowlist: required (at least one entry) with "
        "egress nat-allowlist; interface_endpoints: must include ['ecr.api', 'ecr.dkr', 'kms', 'logs'] "
        "(DATA-06)"
    )


def test_an_allowlist_without_nat_egress_is_refused():
    assert _refused(egress_allowlist=list(NAT_ALLOWLIST)) == [
        ("egress_allowlist", "only allowed with egress nat-allowlist")
    ]


def test_extra_interface_endpoints_are_allowed_but_the_required_ones_are_not_optional():
    extra = [*REQUIRED_INTERFACE_ENDPOINTS, "sagemaker.api"]
    recording = record(
        lambda: TenantNetwork("acme-network", network_args(interface_endpoints=extra)), preview=True
    )
    assert (
        recording.named("sagemaker-api-endpoint").inputs["serviceName"]
        == f"com.amazonaws.{REGION}.sagemaker.api"
    )
    assert _refused(interface_endpoints=REQUIRED_INTERFACE_ENDPOINTS[:-1]) == [
        ("interface_endpoints", "must include ['logs'] (DATA-06)")
    ]


def test_network_args_name_a_malformed_cidr_and_too_many_zones_with_the_other_problems():
    paths = [
        path
        for path, _ in _refused(
            cidr="10.1.0.0/33",
            availability_zones=[*ZONES, "us-east-1d"],
            egress=Egress.NAT_ALLOWLIST,
            egress_allowlist=[],
            interface_endpoints=["sts"],
        )
    ]
    assert paths == ["cidr", "availability_zones", "egress_allowlist", "interface_endpoints"]
    assert _refused(cidr="10.1.0.0/33", availability_zones=[*ZONES, "us-east-1d"]) == [
        (
            "cidr",
            "'10.1.0.0/33' is not a CIDR block such as 10.1.0.0/16 ('10.1.0.0/33' does not appear to be an "
            "IPv4 or IPv6 network)",
        ),
        ("availability_zones", "4 given; allowed 1 to 3"),
    ]


@pytest.mark.parametrize(
    ("cidr", "why"),
    [("8.8.0.0/16", "RFC 1918"), ("10.1.0.0/24", "allowed are /16 to /22"), ("10.0.0.0/8", "/16 to /22")],
)
def test_network_args_refuse_a_vpc_block_outside_private_space_or_size(cidr, why):
    ((path, reason),) = _refused(cidr=cidr)
    assert path == "cidr"
    assert why in reason


def test_network_args_refuse_no_availability_zone():
    assert _refused(availability_zones=[]) == [("availability_zones", "0 given; allowed 1 to 3")]


@pytest.mark.parametrize("entry", ["0.0.0.0/0", "::/0", "example.com", "pl-xyz"])
def test_network_args_refuse_an_allowlist_entry_that_is_not_a_narrow_cidr_or_prefix_list(entry):
    assert _refused(egress=Egress.NAT_ALLOWLIST, egress_allowlist=["203.0.113.0/24", entry]) == [
        (
            "egress_allowlist[1]",
            f"{entry!r} is not allowed: IPv4 CIDRs narrower than /0 or prefix list ids (DATA-02)",
        )
    ]
