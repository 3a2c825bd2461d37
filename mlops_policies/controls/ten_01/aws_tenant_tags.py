"""The rule `ten-01-aws-tenant-tags`, one of the TEN-01 rules.

TEN-01: Everything is labelled with its tenant.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import typemap
from mlops_policies.controls.ten_01._tags import tag_value
from mlops_policies.props import as_str, shown
from mlops_policies.rule import ResourceCheck, resource_rule
from mlops_policies.tenancy import NO_TENANT


def _is_taggable(r: ResourceCheck) -> bool:
    # Iterating keys never touches values, so an unknown `tags` does not raise here.
    return r.type.startswith("aws:") and (any(k == "tags" for k in r.props) or r.type in typemap.taggable())


@resource_rule(
    "ten-01-aws-tenant-tags",
    control="TEN-01",
    types=[],
    severity=Severity.MEDIUM,
    description="Every taggable AWS resource (its pulumi-aws class takes `tags`, or it passes `tags`) "
    "carries tags tenant=<stack tenant>, environment and managed-by.",
    remediation="Pass tags={'tenant': '<tenant id>', 'environment': '<env or shared>', 'managed-by': "
    "'mlops-landing-zone', ...} to the resource (or merge them into every resource's tags in the component).",
)
def aws_tenant_tags(r: ResourceCheck) -> None:
    if not _is_taggable(r):
        return
    if r.tenant.id is None:
        r.fail(f"{r.label}: {NO_TENANT}; required to check tags.tenant")
    elif (tenant := tag_value(r.props, "tenant")) != r.tenant.id:
        r.fail(f"{r.label} has tags.tenant {shown(tenant)}; required: '{r.tenant.id}'")
    for key in ("environment", "managed-by"):
        if not as_str(tag_value(r.props, key)):
            r.fail(f"{r.label} has tags.{key} {shown(tag_value(r.props, key))}; required: a non-empty value")
