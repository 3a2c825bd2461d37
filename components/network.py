"""TenantNetwork: the tenant VPC: private by default, egress only through NAT to an allowlist on 443.

Long (about 420 lines) because the network is many small resources that only make sense together
(subnets, routes, NAT, endpoints, flow logs, security groups) and the endpoint policies they carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components import iam
from components.context import TenantContext
from components.validation import problem, refuse_invalid
from landingzone.cidr import is_allowlist_entry, plan_subnets, vpc_cidr_problem
from landingzone.config import Egress

DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "kms", "logs", "ec2", "eks", "eks-auth"]
REQUIRED_INTERFACE_ENDPOINTS = {"ecr.api", "ecr.dkr", "sts", "kms", "logs"}


@dataclass
class TenantNetworkArgs:
    tenant: TenantContext
    """The tenant (the VPC is tagged Name=`<tenant>-vpc`), its account, and its region: endpoint service
    names are `com.amazonaws.<region>.<service>`. No default."""
    cidr: str
    """The VPC's IPv4 block (validated by the tenant config); no default."""
    availability_zones: list[str]
    """1-3 AZs from config; no default. The program makes no look-ups."""
    flow_log_group_arn: pulumi.Input[str]
    """The audit sink's log group that receives the VPC flow logs (trafficType ALL); no default."""
    flow_log_group_name: str
    """That log group's name, so the flow-log role's policy is known before the group exists; no default."""
    tenant_bucket_names: list[str]
    """The tenant's own buckets: the only ones the S3 gateway endpoint reaches (DATA-06); no default."""
    egress: Egress = Egress.NONE
    """`none` (default): no internet gateway at all. `nat-allowlist`: NAT in dedicated egress subnets."""
    egress_allowlist: list[str] = field(default_factory=list)
    """With nat-allowlist: CIDRs / prefix lists reachable on 443; default none."""
    interface_endpoints: list[str] = field(default_factory=lambda: list(DEFAULT_INTERFACE_ENDPOINTS))
    """Interface endpoints (private DNS); default ecr.api, ecr.dkr, sts, kms, logs, ec2, eks, eks-auth."""


def _problems(args: TenantNetworkArgs) -> list[pulumi.InputPropertyErrorDetails]:
    problems = []
    cidr_problem = vpc_cidr_problem(args.cidr)
    if cidr_problem:
        problems.append(problem("cidr", cidr_problem))
    if not 1 <= len(args.availability_zones) <= 3:
        problems.append(
            problem("availability_zones", f"{len(args.availability_zones)} given; allowed 1 to 3")
        )
    for index, entry in enumerate(args.egress_allowlist):
        if not is_allowlist_entry(entry):
            problems.append(
                problem(
                    f"egress_allowlist[{index}]",
                    f"{entry!r} is not allowed: IPv4 CIDRs narrower than /0 or prefix list ids (DATA-02)",
                )
            )
    if args.egress is Egress.NAT_ALLOWLIST and not args.egress_allowlist:
        problems.append(
            problem("egress_allowlist", "required (at least one entry) with egress nat-allowlist")
        )
    if args.egress is Egress.NONE and args.egress_allowlist:
        problems.append(problem("egress_allowlist", "only allowed with egress nat-allowlist"))
    missing = sorted(REQUIRED_INTERFACE_ENDPOINTS - set(args.interface_endpoints))
    if missing:
        problems.append(problem("interface_endpoints", f"must include {missing} (DATA-06)"))
    return problems


class TenantNetwork(pulumi.ComponentResource):
    """VPC, private subnets per AZ, locked default SG, flow logs, private AWS endpoints, optional NAT."""

    vpc: aws.ec2.Vpc
    private_subnets: list[aws.ec2.Subnet]
    workload_security_group: aws.ec2.SecurityGroup
    """Attached to every tenant node: VPC-internal traffic, and HTTPS to the allowlist only."""
    control_plane_security_group: aws.ec2.SecurityGroup
    """Attached to the EKS control plane: talks to tenant nodes only."""

    def __init__(
        self, name: str, args: TenantNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        refuse_invalid("TenantNetwork", name, _problems(args))
        super().__init__("mlops:landingzone:TenantNetwork", name, None, opts)
        tenant, child = args.tenant, pulumi.ResourceOptions(parent=self)
        plan = plan_subnets(
            args.cidr, args.availability_zones, with_egress=args.egress is Egress.NAT_ALLOWLIST
        )
        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=tenant.tagging.tags(Name=f"{tenant.id}-vpc"),
            opts=child,
        )
        aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg",
            vpc_id=self.vpc.id,
            ingress=[],
            egress=[],
            tags=tenant.tagging.tags(),
            opts=child,
        )
        self.private_subnets = []
        private_route_tables = []
        for zone, cidr in plan.private.items():
            subnet = self._subnet(f"{name}-private-{zone}", self.vpc, tenant, zone, cidr, "private")
            table = aws.ec2.RouteTable(
                f"{name}-private-{zone}-rt",
                vpc_id=self.vpc.id,
                tags=tenant.tagging.tags(tier="private"),
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{zone}-rta", subnet_id=subnet.id, route_table_id=table.id, opts=child
            )
            self.private_subnets.append(subnet)
            private_route_tables.append(table)
        if args.egress is Egress.NAT_ALLOWLIST:
            self._nat_egress(name, self.vpc, tenant, plan.egress, private_route_tables)
        self._flow_logs(name, self.vpc, args)
        self.control_plane_security_group = aws.ec2.SecurityGroup(
            f"{name}-control-plane-sg",
            name=f"{tenant.id}-eks-control-plane",
            description="EKS control plane ENIs: the API for tenant nodes, and calls to their kubelets",
            vpc_id=self.vpc.id,
            tags=tenant.tagging.tags(),
            opts=child,
        )
        self.s3_endpoint = self._s3_endpoint(name, self.vpc, args, private_route_tables)
        self.workload_security_group = self._workload_security_group(
            name, self.vpc, args, self.s3_endpoint, self.control_plane_security_group
        )
        self._control_plane_rules(
            name, tenant, self.control_plane_security_group, self.workload_security_group
        )
        self._interface_endpoints(name, self.vpc, args, self.private_subnets)
        self.register_outputs(
            {"vpc_id": self.vpc.id, "private_subnet_ids": [s.id for s in self.private_subnets]}
        )

    def _subnet(
        self, name: str, vpc: aws.ec2.Vpc, tenant: TenantContext, zone: str, cidr: str, tier: str
    ) -> aws.ec2.Subnet:
        return aws.ec2.Subnet(
            name,
            vpc_id=vpc.id,
            cidr_block=cidr,
            availability_zone=zone,
            map_public_ip_on_launch=False,
            tags=tenant.tagging.tags(tier=tier, Name=f"{tenant.id}-{tier}-{zone}"),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _nat_egress(
        self,
        name: str,
        vpc: aws.ec2.Vpc,
        tenant: TenantContext,
        egress_plan: dict[str, str],
        private_route_tables: list[aws.ec2.RouteTable],
    ) -> None:
        """Only egress subnets route to the internet gateway; private subnets reach it through NAT."""
        tagging, child = tenant.tagging, pulumi.ResourceOptions(parent=self)
        gateway = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=tagging.tags(), opts=child)
        egress_table = aws.ec2.RouteTable(
            f"{name}-egress-rt", vpc_id=vpc.id, tags=tagging.tags(tier="egress"), opts=child
        )
        aws.ec2.Route(
            f"{name}-egress-default-route",
            route_table_id=egress_table.id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=gateway.id,
            opts=child,
        )
        for (zone, cidr), private_table in zip(egress_plan.items(), private_route_tables, strict=True):
            subnet = self._subnet(f"{name}-egress-{zone}", vpc, tenant, zone, cidr, "egress")
            aws.ec2.RouteTableAssociation(
                f"{name}-egress-{zone}-rta", subnet_id=subnet.id, route_table_id=egress_table.id, opts=child
            )
            address = aws.ec2.Eip(f"{name}-nat-{zone}-eip", domain="vpc", tags=tagging.tags(), opts=child)
            nat = aws.ec2.NatGateway(
                f"{name}-nat-{zone}",
                subnet_id=subnet.id,
                allocation_id=address.allocation_id,
                tags=tagging.tags(),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[gateway]),
            )
            aws.ec2.Route(
                f"{name}-private-{zone}-nat-route",
                route_table_id=private_table.id,
                destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=nat.id,
                opts=child,
            )

    def _flow_logs(self, name: str, vpc: aws.ec2.Vpc, args: TenantNetworkArgs) -> None:
        tenant, child = args.tenant, pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-flow-logs-role",
            name=f"{tenant.id}-vpc-flow-logs",
            assume_role_policy=iam.service_trust("vpc-flow-logs.amazonaws.com", tenant.account_id),
            max_session_duration=3600,
            tags=tenant.tagging.tags(),
            opts=child,
        )
        # The ARN is spelled out from config rather than taken from the log group's output, so the
        # policy is known in a first preview and the gate can judge it.
        log_group_arn = (
            f"arn:aws:logs:{tenant.region}:{tenant.account_id}:log-group:{args.flow_log_group_name}"
        )
        aws.iam.RolePolicy(
            f"{name}-flow-logs-policy",
            role=role.name,
            policy=iam.document(
                {
                    "Sid": "WriteFlowLogsToTheAuditSink",
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    "Resource": [log_group_arn, f"{log_group_arn}:*"],
                }
            ),
            opts=child,
        )
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=args.flow_log_group_arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=60,
            tags=tenant.tagging.tags(),
            opts=child,
        )

    def _workload_security_group(
        self,
        name: str,
        vpc: aws.ec2.Vpc,
        args: TenantNetworkArgs,
        s3_endpoint: aws.ec2.VpcEndpoint,
        control_plane: aws.ec2.SecurityGroup,
    ) -> aws.ec2.SecurityGroup:
        """Workloads talk inside the VPC, and out only on 443 to the allowlist."""
        allow_cidrs = [e for e in args.egress_allowlist if not e.startswith("pl-")]
        prefix_lists = [e for e in args.egress_allowlist if e.startswith("pl-")]
        egress: list[aws.ec2.SecurityGroupEgressArgsDict] = [
            {
                "protocol": "-1",
                "from_port": 0,
                "to_port": 0,
                "cidr_blocks": [args.cidr],
                "description": "inside the tenant VPC",
            }
        ]
        # Gateway-endpoint traffic goes to S3's public addresses, which only its prefix list names.
        egress.append(
            {
                "protocol": "tcp",
                "from_port": 443,
                "to_port": 443,
                "prefix_list_ids": [s3_endpoint.prefix_list_id],
                "description": "HTTPS to S3 through the gateway endpoint (tenant buckets, ECR layers)",
            }
        )
        if allow_cidrs or prefix_lists:
            egress.append(
                {
                    "protocol": "tcp",
                    "from_port": 443,
                    "to_port": 443,
                    "cidr_blocks": allow_cidrs,
                    "prefix_list_ids": prefix_lists,
                    "description": "HTTPS to the tenant's egress allowlist",
                }
            )
        return aws.ec2.SecurityGroup(
            f"{name}-workloads-sg",
            name=f"{args.tenant.id}-workloads",
            description="Tenant workloads: VPC-internal traffic and HTTPS to the allowlist only",
            vpc_id=vpc.id,
            ingress=[
                {
                    "protocol": "-1",
                    "from_port": 0,
                    "to_port": 0,
                    "self": True,
                    "description": "between tenant workloads",
                },
                {
                    "protocol": "tcp",
                    "from_port": 443,
                    "to_port": 443,
                    "security_groups": [control_plane.id],
                    "description": "webhooks and metrics from the EKS control plane",
                },
                {
                    "protocol": "tcp",
                    "from_port": 1025,
                    "to_port": 65535,
                    "security_groups": [control_plane.id],
                    "description": "kubelets and extension API servers, from the EKS control plane",
                },
            ],
            egress=egress,
            tags=args.tenant.tagging.tags(),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _control_plane_rules(
        self,
        name: str,
        tenant: TenantContext,
        control_plane: aws.ec2.SecurityGroup,
        workloads: aws.ec2.SecurityGroup,
    ) -> None:
        """Standalone rules: the two groups reference each other, which inline rules cannot express."""
        child = pulumi.ResourceOptions(parent=self)
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-control-plane-api-from-nodes",
            security_group_id=control_plane.id,
            referenced_security_group_id=workloads.id,
            ip_protocol="tcp",
            from_port=443,
            to_port=443,
            description="Kubernetes API from tenant nodes",
            tags=tenant.tagging.tags(),
            opts=child,
        )
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-control-plane-to-nodes",
            security_group_id=control_plane.id,
            referenced_security_group_id=workloads.id,
            ip_protocol="tcp",
            from_port=443,
            to_port=65535,
            description="kubelets, webhooks and extension API servers on tenant nodes",
            tags=tenant.tagging.tags(),
            opts=child,
        )

    def _s3_endpoint(
        self,
        name: str,
        vpc: aws.ec2.Vpc,
        args: TenantNetworkArgs,
        private_route_tables: list[aws.ec2.RouteTable],
    ) -> aws.ec2.VpcEndpoint:
        region = args.tenant.region
        return aws.ec2.VpcEndpoint(
            f"{name}-s3-endpoint",
            vpc_id=vpc.id,
            service_name=f"com.amazonaws.{region}.s3",
            vpc_endpoint_type="Gateway",
            route_table_ids=[t.id for t in private_route_tables],
            policy=s3_endpoint_policy(args.tenant_bucket_names, region),
            tags=args.tenant.tagging.tags(),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _interface_endpoints(
        self, name: str, vpc: aws.ec2.Vpc, args: TenantNetworkArgs, subnets: list[aws.ec2.Subnet]
    ) -> None:
        tenant, child = args.tenant, pulumi.ResourceOptions(parent=self)
        endpoint_sg = aws.ec2.SecurityGroup(
            f"{name}-endpoints-sg",
            name=f"{tenant.id}-vpc-endpoints",
            description="VPC interface endpoints: HTTPS from inside the tenant VPC only",
            vpc_id=vpc.id,
            ingress=[
                {
                    "protocol": "tcp",
                    "from_port": 443,
                    "to_port": 443,
                    "cidr_blocks": [args.cidr],
                    "description": "HTTPS from the tenant VPC",
                }
            ],
            egress=[],
            tags=tenant.tagging.tags(),
            opts=child,
        )
        for service in args.interface_endpoints:
            aws.ec2.VpcEndpoint(
                f"{name}-{service.replace('.', '-')}-endpoint",
                vpc_id=vpc.id,
                service_name=f"com.amazonaws.{tenant.region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                subnet_ids=[s.id for s in subnets],
                security_group_ids=[endpoint_sg.id],
                tags=tenant.tagging.tags(),
                opts=child,
            )


def s3_endpoint_policy(bucket_names: list[str], region: str) -> str:
    """The gateway endpoint reaches the tenant's own buckets, and ECR's image layer bucket, nothing else.

    Exact names, not `<tenant>-*`: tenant `acme`'s wildcard would also match tenant `acme-labs`.
    """
    arns = [iam.bucket_arn(name) for name in sorted(bucket_names)]
    return iam.document(
        {
            "Sid": "TenantBucketsOnly",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [*arns, *(f"{arn}/*" for arn in arns)],
        },
        {
            "Sid": "EcrImageLayers",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::prod-{region}-starport-layer-bucket/*",
        },
    )
