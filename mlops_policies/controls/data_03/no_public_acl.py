"""The rule `data-03-no-public-acl`, one of the DATA-03 rules.

DATA-03: Buckets are private and TLS-only.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import buckets as s3
from mlops_policies.messages import prop_path
from mlops_policies.props import as_list, as_str, get
from mlops_policies.resource_types import BUCKETS
from mlops_policies.rule import ResourceCheck, resource_rule

BUCKET_ACL = s3.ACL
PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
PUBLIC_GRANTEES = ("/global/AllUsers", "/global/AuthenticatedUsers")


@resource_rule(
    "data-03-no-public-acl",
    control="DATA-03",
    types=[*BUCKETS, *s3.ACL_TYPES],
    severity=Severity.CRITICAL,
    description="No bucket or bucket ACL grants access to everyone or to all authenticated AWS users.",
    remediation="Remove acl='public-read' / 'public-read-write' / 'authenticated-read' and grants to the "
    "AllUsers or AuthenticatedUsers groups (aws.s3.BucketAcl acl / access_control_policy, or the "
    "deprecated Bucket acl / grants); with BucketOwnerEnforced ownership, ACLs are not needed at all.",
)
def no_public_acl(r: ResourceCheck) -> None:
    acl = get(r.props, "acl")
    if as_str(acl) in PUBLIC_ACLS:
        r.fail(
            f"{r.label} has acl {acl!r}; required: no public-read, public-read-write or authenticated-read "
            "ACL"
        )
    is_acl = r.type in s3.ACL_TYPES
    grants_path = ("accessControlPolicy", "grants") if is_acl else ("grants",)
    for index, grant in enumerate(as_list(get(r.props, *grants_path))):
        uri_path = ("grantee", "uri") if is_acl else ("uri",)
        uri = get(grant, *uri_path)
        if isinstance(uri, str) and uri.rstrip("/").endswith(PUBLIC_GRANTEES):
            r.fail(
                f"{r.label} has {prop_path(grants_path[0], *grants_path[1:], index, *uri_path)} {uri!r}; "
                "required: no grant to AllUsers or AuthenticatedUsers"
            )
