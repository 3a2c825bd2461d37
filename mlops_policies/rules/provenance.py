"""Model provenance: immutable registries, signed artifacts, digest-pinned images, separation of duties."""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.core import ResourceCheck, Rule, resource_rule
from mlops_policies.props import as_bool, as_list, get

ECR_REPOSITORY = "aws:ecr/repository:Repository"


@resource_rule(
    "prov-03-ecr-immutable-tags",
    control="PROV-03",
    types=[ECR_REPOSITORY],
    severity=Severity.HIGH,
    description="ECR repositories keep image tags immutable, so a released tag always names the same image.",
    remediation="Set image_tag_mutability='IMMUTABLE' on the repository; publish new versions under new tags.",
)
def ecr_immutable_tags(r: ResourceCheck) -> None:
    mutability = get(r.props, "imageTagMutability", default="MUTABLE")
    if mutability == "IMMUTABLE":
        return
    if mutability == "IMMUTABLE_WITH_EXCLUSION":
        filters = as_list(get(r.props, "imageTagMutabilityExclusionFilters"))
        wide = [f for f in filters if str(get(f, "filter", default="")).strip() in {"*", "**", ""}]
        if wide or not filters:
            r.fail(f"{r.label} has imageTagMutability IMMUTABLE_WITH_EXCLUSION with an exclusion filter that "
                   "matches every tag; required: IMMUTABLE, or exclusions that never match every tag")
        return
    r.fail(f"{r.label} has imageTagMutability {mutability!r}; required: 'IMMUTABLE'")


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
        r.fail(f"{r.label} has imageScanningConfiguration.scanOnPush {scan!r}; required: true")


RULES: list[Rule] = [ecr_immutable_tags, ecr_scan_on_push]
