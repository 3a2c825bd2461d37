"""The Pulumi program: one tenant's landing zone, from the stack's `landingzone:*` config."""

from pathlib import Path

import pulumi

from components import TenantLandingZone, TenantLandingZoneArgs
from landingzone.config import ConfigError, settings_from_runtime_config

stack = pulumi.get_stack()
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

landing_zone = TenantLandingZone(settings.tenant.id, TenantLandingZoneArgs(settings))
for output_name, value in landing_zone.outputs.items():
    pulumi.export(output_name, value)
