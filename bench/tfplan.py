"""Export a recorded program run's AWS resources as a Terraform plan JSON, for peer tools (checkov).

Pulumi's AWS provider is bridged from Terraform's, so each Pulumi resource has a Terraform twin with the
same inputs in snake_case; nested objects are Terraform blocks (lists of one object) except maps such
as tags. The type table covers every type the example stacks create; others fall back to
`aws_<module>_<type in snake_case>`, which is right for most of the provider. This is a benchmark
input of our own making, not a general converter.

    .venv/bin/python bench/tfplan.py --stack acme > acme.tfplan.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

TERRAFORM_TYPES = {
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "aws_default_security_group",
    "aws:ec2/eip:Eip": "aws_eip",
    "aws:ec2/flowLog:FlowLog": "aws_flow_log",
    "aws:ec2/internetGateway:InternetGateway": "aws_internet_gateway",
    "aws:ec2/launchTemplate:LaunchTemplate": "aws_launch_template",
    "aws:ec2/natGateway:NatGateway": "aws_nat_gateway",
    "aws:ec2/route:Route": "aws_route",
    "aws:ec2/routeTable:RouteTable": "aws_route_table",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "aws_route_table_association",
    "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
    "aws:ec2/subnet:Subnet": "aws_subnet",
    "aws:ec2/vpc:Vpc": "aws_vpc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "aws_vpc_endpoint",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
}
# Inputs that are maps in Terraform (not blocks): their keys are data, not attribute names.
# Inputs whose Terraform name is not the snake_case of the Pulumi name (Pulumi pluralizes repeated blocks).
RENAMES = {"encryptionConfigurations": "encryption_configuration"}
MAP_INPUTS = {"tags", "tagsAll", "labels", "parameters", "variables", "environment"}


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def terraform_type(token: str) -> str:
    if token in TERRAFORM_TYPES:
        return TERRAFORM_TYPES[token]
    _provider, module_and_file, type_name = token.split(":")
    module = module_and_file.split("/")[0]
    return f"aws_{module}_{snake(type_name)}".replace(f"aws_{module}_{module}_", f"aws_{module}_")


def terraform_values(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        if key in MAP_INPUTS:
            return dict(value)
        block = {RENAMES.get(k, snake(k)): terraform_values(v, k) for k, v in value.items()}
        return [block] if key else block
    if isinstance(value, list):
        items = [terraform_values(v) for v in value]
        return [i[0] if isinstance(i, list) and len(i) == 1 and isinstance(i[0], dict) else i for i in items]
    return value


def plan(resources: list[Any]) -> dict[str, Any]:
    """A Terraform plan (format 1.2) creating the given recorded resources."""
    planned, changes = [], []
    for index, resource in enumerate(r for r in resources if r.custom and r.type.startswith("aws:")):
        tf_type = terraform_type(resource.type)
        name = re.sub(r"[^A-Za-z0-9_]", "_", resource.name) + f"_{index}"
        values = terraform_values(resource.inputs)
        address = f"{tf_type}.{name}"
        planned.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0,
                "values": values,
            }
        )
        changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {}},
            }
        )
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"root_module": {}},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stack", required=True)
    parser.add_argument("--project-dir", type=Path, default=ROOT)
    args = parser.parse_args()
    from tenantctl.program import record_stack

    run = record_stack(args.project_dir, args.stack, preview=False)
    json.dump(plan(run.resources), sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main()
