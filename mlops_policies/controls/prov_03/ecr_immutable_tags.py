"""The rule `prov-03-ecr-immutable-tags`, one of the PROV-03 rules.

PROV-03: Container registries keep tags immutable and scan on push.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.policy_predicates import matches_every_tag
from mlops_policies.props import as_list, get, shown
from mlops_policies.resource_types import ECR_REPOSITORY
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "prov-03-ecr-immutable-tags",
    control="PROV-03",
    types=[ECR_REPOSITORY],
    severity=Severity.HIGH,
    description="ECR repositories keep image tags immutable, so a released tag always names the same image.",
    remediation="Set image_tag_mutability='IMMUTABLE' on the repository; publish new versions as new tags.",
)
def ecr_immutable_tags(r: ResourceCheck) -> None:
    mutability = get(r.props, "imageTagMutability", default="MUTABLE")
    if mutability == "IMMUTABLE":
        return
    if mutability == "IMMUTABLE_WITH_EXCLUSION":
        filters = as_list(get(r.props, "imageTagMutabilityExclusionFilters"))
        if not filters:
            r.fail(
                f"{r.label} has imageTagMutability IMMUTABLE_WITH_EXCLUSION with an exclusion filter that "
                "matches every tag; required: IMMUTABLE, or exclusions that never match every tag"
            )
        for index, entry in enumerate(filters):
            text = get(entry, "filter", default="")
            if matches_every_tag(text):
                r.fail(
                    f"{r.label} has imageTagMutability IMMUTABLE_WITH_EXCLUSION with "
                    f"imageTagMutabilityExclusionFilters[{index}].filter {shown(text)}, which matches every "
                    "tag; required: IMMUTABLE, or exclusions that never match every tag"
                )
        return
    r.fail(f"{r.label} has imageTagMutability {shown(mutability)}; required: 'IMMUTABLE'")
