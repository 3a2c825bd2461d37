"""The rule `sec-05-no-iam-access-keys`, one of the SEC-05 rules.

SEC-05: No long-lived machine credentials.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.rule import ResourceCheck, resource_rule

ACCESS_KEY = "aws:iam/accessKey:AccessKey"


@resource_rule(
    "sec-05-no-iam-access-keys",
    control="SEC-05",
    types=[ACCESS_KEY],
    severity=Severity.CRITICAL,
    description="The stack creates no IAM access keys; workloads get short-lived credentials through "
    "workload identity (IRSA / instance and task roles).",
    remediation="Delete the aws.iam.AccessKey; give the workload an IAM role (IRSA for pods, task or "
    "instance roles elsewhere).",
)
def no_iam_access_keys(r: ResourceCheck) -> None:
    r.fail(f"{r.label} creates a long-lived IAM access key; required: no access keys (use workload identity)")
