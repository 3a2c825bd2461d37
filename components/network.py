"""TenantNetwork: the tenant VPC: private by default, egress only through NAT to an allowlist on 443."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components import iam
from components.tags import Tagging
from landingzone.cidr import is_allowlist_entry, plan_subnets, vpc_cidr_problem
from landingzone.config import Egress

DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "kms", "logs", "ec2", "eks", "eks-auth"]
REQUIRED_INTERFACE_ENDPOINTS = {"ecr.api", "ecr.dkr", "sts", "kms", "logs"}


@dataclass
class TenantNetworkArgs:
    tenant_id: str
    """The tenant; the VPC is tagged Name=`<tenant>-vpc`."""
    account_id: str
    """The AWS account (from config)."""
    region: str
    """The stack's region: endpoint service names are `com.amazonaws.<region>.<service>`."""
    cidr: str
    """The VPC's IPv4 block (validated by the tenant config)."""
    availability_zones: list[str]
    """1-3 AZs from config; the program makes no look-ups."""
    flow_log_group_arn: pulumi.Input[str]
    """The audit sink's log group that receives the VPC flow logs (trafficType ALL)."""
    flow_log_group_name: str
    """That log group's name, so the flow-log role's policy is known before the group exists."""
    tenant_bucket_names: list[str]
    """The tenant's own buckets: the only ones the S3 gateway endpoint reaches (DATA-06)."""
    tagging: Tagging
    """The tenant's tag vocabulary."""
    egress: Egress = Egress.NONE
    """`none` (default): no internet gateway at all. `nat-allowlist`: NAT in dedicated egress subnets."""
    egress_allowlist: list[str] = field(default_factory=list)
    """With nat-allowlist: CIDRs / prefix lists reachable on 443; default none."""
    interface_endpoints: list[str] = field(default_factory=lambda: list(DEFAULT_INTERFACE_ENDPOINTS))
    """Interface endpoints (private DNS); default ecr.api, ecr.dkr, sts, kms, logs, ec2, eks, eks-auth."""

    def __post_init__(self) -> None:
        problems = []
        cidr_problem = vpc_cidr_problem(self.cidr)
        if cidr_problem:
            problems.append(f"cidr: {cidr_problem}")
        if not 1 <= len(self.availability_zones) <= 3:
            problems.append(f"availability_zones: {len(self.availability_zones)} given; allowed 1 to 3")
        bad_entries = [e for e in self.egress_allowlist if not is_allowlist_entry(e)]
        if bad_entries:
            problems.append(
                f"egress_allowlist entries {bad_entries} are not allowed: IPv4 CIDRs narrower than /0 or "
                "prefix list ids (DATA-02)"
            )
        missing = sorted(REQUIRED_INTERFACE_ENDPOINTS - set(self.interface_endpoints))
        if missing:
            problems.append(f"interface_endpoints must include {missing} (DATA-06)")
        if self.egress is Egress.NAT_ALLOWLIST and not self.egress_allowlist:
            problems.append("egress nat-allowlist needs a non-empty egress_allowlist")
        if self.egress is Egress.NONE and self.egress_allowlist:
            problems.append("egress_allowlist is only allowed with egress nat-allowlist")
        if problems:
            raise ValueError("; ".join(problems))


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
        super().__init__("mlops:landingzone:TenantNetwork", name, None, opts)
        self._name = name
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        plan = plan_subnets(
            args.cidr, args.availability_zones, with_egress=args.egress is Egress.NAT_ALLOWLIST
        )
        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=args.tagging.tags(Name=f"{args.tenant_id}-vpc"),
            opts=child,
        )
        aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg",
            vpc_id=self.vpc.id,
            ingress=[],
            egress=[],
            tags=args.tagging.tags(),
            opts=child,
        )
        self.private_subnets = []
        private_route_tables = []
        for zone, cidr in plan.private.items():
            subnet = self._subnet(f"{name}-private-{zone}", zone, cidr, "private")
            table = aws.ec2.RouteTable(
                f"{name}-private-{zone}-rt",
                vpc_id=self.vpc.id,
                tags=args.tagging.tags(tier="private"),
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{zone}-rta", subnet_id=subnet.id, route_table_id=table.id, opts=child
            )
            self.private_subnets.append(subnet)
            private_route_tables.append(table)
        if args.egress is Egress.NAT_ALLOWLIST:
            self._nat_egress(plan.egress, private_route_tables)
        self._flow_logs()
        self.control_plane_security_group = aws.ec2.SecurityGroup(
            f"{name}-control-plane-sg",
            name=f"{args.tenant_id}-eks-control-plane",
            description="EKS control plane ENIs: the API for tenant nodes, and calls to their kubelets",
            vpc_id=self.vpc.id,
            tags=args.tagging.tags(),
            opts=child,
        )
        self.s3_endpoint = self._s3_endpoint(private_route_tables)
        self.workload_security_group = self._workload_security_group()
        self._control_plane_rules()
        self._interface_endpoints()
        self.register_outputs(
            {"vpc_id": self.vpc.id, "private_subnet_ids": [s.id for s in self.private_subnets]}
        )

    def _subnet(self, name: str, zone: str, cidr: str, tier: str) -> aws.ec2.Subnet:
        return aws.ec2.Subnet(
            name,
            vpc_id=self.vpc.id,
            cidr_block=cidr,
            availability_zone=zone,
            map_public_ip_on_launch=False,
            tags=self._args.tagging.tags(tier=tier, Name=f"{self._args.tenant_id}-{tier}-{zone}"),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _nat_egress(
        self, egress_plan: dict[str, str], private_route_tables: list[aws.ec2.RouteTable]
    ) -> None:
        """Only egress subnets route to the internet gateway; private subnets reach it through NAT."""
        name, tagging, child = self._name, self._args.tagging, pulumi.ResourceOptions(parent=self)
        gateway = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=self.vpc.id, tags=tagging.tags(), opts=child)
        egress_table = aws.ec2.RouteTable(
            f"{name}-egress-rt", vpc_id=self.vpc.id, tags=tagging.tags(tier="egress"), opts=child
        )
        aws.ec2.Route(
            f"{name}-egress-default-route",
            route_table_id=egress_table.id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=gateway.id,
            opts=child,
        )
        for (zone, cidr), private_table in zip(egress_plan.items(), private_route_tables, strict=True):
            subnet = self._subnet(f"{name}-egress-{zone}", zone, cidr, "egress")
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

    def _flow_logs(self) -> None:
        name, args, child = self._name, self._args, pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-flow-logs-role",
            name=f"{args.tenant_id}-vpc-flow-logs",
            assume_role_policy=iam.service_trust("vpc-flow-logs.amazonaws.com", args.account_id),
            max_session_duration=3600,
            tags=args.tagging.tags(),
            opts=child,
        )
        # The ARN is spelled out from config rather than taken from the log group's output, so the
        # policy is known in a first preview and the gate can judge it.
        log_group_arn = f"arn:aws:logs:{args.region}:{args.account_id}:log-group:{args.flow_log_group_name}"
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
            vpc_id=self.vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=args.flow_log_group_arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=60,
            tags=args.tagging.tags(),
            opts=child,
        )

    def _workload_security_group(self) -> aws.ec2.SecurityGroup:
        """Workloads talk inside the VPC, and out only on 443 to the allowlist."""
        args = self._args
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
                "prefix_list_ids": [self.s3_endpoint.prefix_list_id],
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
            f"{self._name}-workloads-sg",
            name=f"{args.tenant_id}-workloads",
            description="Tenant workloads: VPC-internal traffic and HTTPS to the allowlist only",
            vpc_id=self.vpc.id,
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
                    "security_groups": [self.control_plane_security_group.id],
                    "description": "webhooks and metrics from the EKS control plane",
                },
                {
                    "protocol": "tcp",
                    "from_port": 1025,
                    "to_port": 65535,
                    "security_groups": [self.control_plane_security_group.id],
                    "description": "kubelets and extension API servers, from the EKS control plane",
                },
            ],
            egress=egress,
            tags=args.tagging.tags(),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _control_plane_rules(self) -> None:
        """Standalone rules: the two groups reference each other, which inline rules cannot express."""
        name, child = self._name, pulumi.ResourceOptions(parent=self)
        control_plane, workloads = self.control_plane_security_group.id, self.workload_security_group.id
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-control-plane-api-from-nodes",
            security_group_id=control_plane,
            referenced_security_group_id=workloads,
            ip_protocol="tcp",
            from_port=443,
            to_port=443,
            description="Kubernetes API from tenant nodes",
            tags=self._args.tagging.tags(),
            opts=child,
        )
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-control-plane-to-nodes",
            security_group_id=control_plane,
            referenced_security_group_id=workloads,
            ip_protocol="tcp",
            from_port=443,
            to_port=65535,
            description="kubelets, webhooks and extension API servers on tenant nodes",
            tags=self._args.tagging.tags(),
            opts=child,
        )

    def _s3_endpoint(self, private_route_tables: list[aws.ec2.RouteTable]) -> aws.ec2.VpcEndpoint:
        name, args = self._name, self._args
        return aws.ec2.VpcEndpoint(
            f"{name}-s3-endpoint",
            vpc_id=self.vpc.id,
            service_name=f"com.amazonaws.{args.region}.s3",
            vpc_endpoint_type="Gateway",
            route_table_ids=[t.id for t in private_route_tables],
            policy=s3_endpoint_policy(args.tenant_bucket_names, args.region),
            tags=args.tagging.tags(),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _interface_endpoints(self) -> None:
        name, args, child = self._name, self._args, pulumi.ResourceOptions(parent=self)
        endpoint_sg = aws.ec2.SecurityGroup(
            f"{name}-endpoints-sg",
            name=f"{args.tenant_id}-vpc-endpoints",
            description="VPC interface endpoints: HTTPS from inside the tenant VPC only",
            vpc_id=self.vpc.id,
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
            tags=args.tagging.tags(),
            opts=child,
        )
        for service in args.interface_endpoints:
            aws.ec2.VpcEndpoint(
                f"{name}-{service.replace('.', '-')}-endpoint",
                vpc_id=self.vpc.id,
                service_name=f"com.amazonaws.{args.region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                subnet_ids=[s.id for s in self.private_subnets],
                security_group_ids=[endpoint_sg.id],
                tags=args.tagging.tags(),
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
