"""The rule `ten-04-no-administrator-access`, one of the TEN-04 rules.

TEN-04: No administrator in a tenant stack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pulumi_policy import Severity

from mlops_policies.iam import WELL_KNOWN_MANAGED
from mlops_policies.policy_predicates import admin_grant
from mlops_policies.props import UNKNOWN, known
from mlops_policies.resource_types import ROLE
from mlops_policies.rule import StackCheck, Undecided, label, stack_rule

ATTACHMENTS = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    ROLE: "managedPolicyArns",
}
# The AWS-managed policies whose (modelled) document is an administrator grant by the same test as
# ten-04-no-admin-policy-document: AdministratorAccess (`*`), IAMFullAccess (`iam:*`), PowerUserAccess
# (every action but iam, organizations and account: kms:* and sts:* included), each in any partition.
_ADMIN_MANAGED = {
    re.compile(r"arn:[a-z-]+" + re.escape(suffix)): suffix.rsplit("/", 1)[1]
    for suffix, document in WELL_KNOWN_MANAGED.items()
    if admin_grant(document)
}


def _admin_policy(arn: str) -> str | None:
    """The name of the administrator AWS-managed policy `arn` is, or None."""
    return next((name for pattern, name in _ADMIN_MANAGED.items() if pattern.fullmatch(arn)), None)


@stack_rule(
    "ten-04-no-administrator-access",
    control="TEN-04",
    types=list(ATTACHMENTS),
    severity=Severity.CRITICAL,
    description="No role (or user or group) attaches the AWS-managed AdministratorAccess, IAMFullAccess or "
    "PowerUserAccess policy (each grants '*', 'iam:*' or 'kms:*'/'sts:*' on Resource '*'), in any "
    "partition. An ARN computed from a Policy of the stack is that policy's (its document is judged by "
    "ten-04-no-admin-policy-document).",
    remediation="Remove the aws.iam.RolePolicyAttachment (or the managed_policy_arns entry) with policy_arn "
    "'arn:aws:iam::aws:policy/AdministratorAccess'; attach a least-privilege aws.iam.Policy instead.",
)
def no_administrator_access(stack: StackCheck) -> None:
    for resource in stack.of_type(*ATTACHMENTS):
        prop = ATTACHMENTS[resource.resource_type]
        with stack.deciding(resource):
            value = known(resource.props, prop)
            items = [known(value, i) for i in range(len(value))] if isinstance(value, Sequence) and not \
                isinstance(value, str) else [value]  # fmt: skip
            admins = [name for v in items if isinstance(v, str) and (name := _admin_policy(v))]
            for name in admins:
                stack.fail(resource, f"{label(resource)} has {prop} {name}; required: "
                           "least-privilege policies of the stack")  # fmt: skip
            if not admins and UNKNOWN in items and not stack.referenced_by(resource, prop):
                raise Undecided([f"{prop} is unknown and has no dependency information"])
