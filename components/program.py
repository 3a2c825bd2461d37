"""The Pulumi program every project of this repository runs: one tenant's landing zone, or one half.

Which half comes from the project name (landingzone.parts): the root project registers everything;
`deploy/aws` the AWS part; `deploy/in-cluster` the Kubernetes part, which reads the cluster's
endpoint and certificate authority from the AWS stack of the same name through a stack reference.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from components.cluster import kubeconfig_for
from components.landing_zone import TenantLandingZone, TenantLandingZoneArgs
from landingzone.config import ConfigError, settings_from_runtime_config
from landingzone.parts import AWS_PROJECT, DeployPart


def landing_zone_program() -> TenantLandingZone:
    stack = pulumi.get_stack()
    part = DeployPart.of_project(pulumi.get_project())
    try:
        settings = settings_from_runtime_config(
            stack,
            pulumi.runtime.get_config,
            source=str(Path("stacks") / f"Pulumi.{stack}.yaml"),
            # Every key the stack sets, so unknown and deploy-redirecting keys are refused here too.
            keys=[*pulumi.runtime.config.CONFIG.get(), *pulumi.runtime.config.get_config_env()],
        )
    except ConfigError as error:
        # RunError prints the message alone: the stack file, each field and what is allowed.
        raise pulumi.RunError(str(error)) from None
    kubeconfig = None
    if part is DeployPart.KUBERNETES:
        aws_stack = pulumi.StackReference(f"{pulumi.get_organization()}/{AWS_PROJECT}/{stack}")
        cluster_name = f"{settings.tenant.id}-cluster"
        kubeconfig = pulumi.Output.all(
            aws_stack.require_output("cluster_endpoint"),
            aws_stack.require_output("cluster_certificate_authority"),
        ).apply(lambda parts: kubeconfig_for(cluster_name, str(parts[0]), str(parts[1])))
    landing_zone = TenantLandingZone(
        settings.tenant.id, TenantLandingZoneArgs(stack_config=settings, part=part, kubeconfig=kubeconfig)
    )
    for output_name, value in landing_zone.outputs.items():
        pulumi.export(output_name, value)
    return landing_zone
