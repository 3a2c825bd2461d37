"""The rule `prov-03-ecr-scan-on-push`, one of the PROV-03 rules.

PROV-03: Container registries keep tags immutable and scan on push.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import as_bool, get, shown
from mlops_policies.resource_types import ECR_REPOSITORY
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "prov-03-ecr-scan-on-push",
    control="PROV-03",
    types=[ECR_REPOSITORY],
    severity=Severity.MEDIUM,
    description="ECR repositories scan every image on push.",
    remediation="Set image_scanning_configuration={'scan_on_push': True} on the repository.",
)
def ecr_scan_on_push(r: ResourceCheck) -> None:
    scan = as_bool(get(r.props, "imageScanningConfiguration", "scanOnPush"))
    if scan is not True:
        r.fail(f"{r.label} has imageScanningConfiguration.scanOnPush {shown(scan)}; required: true")
