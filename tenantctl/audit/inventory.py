"""Discovery: which live resources belong to the tenant, found by their `tenant` tag and by the landing
zone's names.

First the Resource Groups Tagging API lists every resource in the region tagged `tenant=<id>`, whatever
its name (a key without the landing zone's alias, a bucket someone made by hand); then each kind is
listed by the landing zone's names, and both sets are read per service. Tagged resources of kinds the
audit does not model stay in `other_tagged`, so drift can still name them. A tagging listing that
cannot be read is recorded in `errors["tagged"]`: discovery falls back to names, and says so.

A resource whose name follows the tenant's naming convention but whose `tenant` tag names someone else
is not the tenant's (tenant ids may contain '-', so `acme-labs-...` must not count as `acme`'s). A
resource with the right name and no tenant tag is kept: its missing tags are a finding (TEN-01).

The records discovery fills are in tenantctl.audit.live; they are re-exported here, where the checks and
drift import them. Long (about 270 lines of Discovery) because each modelled kind has its own list and
describe calls, and they share the claimed tagged ARNs and the per-kind error record.
"""

from __future__ import annotations

import re
from typing import Any

from tenantctl.audit.live import (
    ARTIFACT_PURPOSES,
    BUCKET_PURPOSES,
    KEY_PURPOSES,
    LiveBucket,
    LiveCluster,
    LiveInventory,
    LiveKey,
    LiveLogGroup,
    LiveNodeGroup,
    LiveRepository,
    LiveRole,
    LiveSecret,
    LiveTrail,
    LiveUser,
    LiveVpc,
    tag_map,
)
from tenantctl.audit.model import AuditTarget
from tenantctl.audit.reader import AwsReader, Unobservable

__all__ = [
    "ARTIFACT_PURPOSES",
    "BUCKET_PURPOSES",
    "KEY_PURPOSES",
    "Discovery",
    "LiveBucket",
    "LiveCluster",
    "LiveInventory",
    "LiveKey",
    "LiveLogGroup",
    "LiveNodeGroup",
    "LiveRepository",
    "LiveRole",
    "LiveSecret",
    "LiveTrail",
    "LiveUser",
    "LiveVpc",
    "discover",
    "tag_map",
]


def _owned(tags: dict[str, str], tenant: str) -> bool:
    """Name matched the convention; the tag may still say the resource is another tenant's."""
    return tags.get("tenant", tenant) == tenant


class Discovery:
    """Fills a LiveInventory; each kind is listed independently so one denied list spoils only its kind."""

    def __init__(self, reader: AwsReader, target: AuditTarget) -> None:
        self.reader = reader
        self.target = target
        self.tenant = target.tenant_id
        self.inventory = LiveInventory(target.tenant_id, target.region, target.account_id)
        # ARN -> tags of every resource the tagging API says is the tenant's; kinds pop what they model.
        self.tagged: dict[str, dict[str, str]] = {}

    def _tagged_arns(self, service: str, resource_prefix: str = "") -> list[str]:
        """Tagged ARNs of one service (and resource type, e.g. "key/"), claimed by the kind reading them."""
        found = [
            arn
            for arn in self.tagged
            if arn.split(":")[2:3] == [service] and arn.split(":", 5)[-1].startswith(resource_prefix)
        ]
        for arn in found:
            self.tagged.pop(arn)
        return found

    def _tagging(self) -> None:
        filters = [{"Key": "tenant", "Values": [self.tenant]}]
        for mapping in self.reader.pages(
            "resourcegroupstaggingapi", "get_resources", "ResourceTagMappingList", TagFilters=filters
        ):
            self.tagged[str(mapping["ResourceARN"])] = tag_map(mapping.get("Tags"))

    def run(self) -> LiveInventory:
        try:
            self._tagging()
        except Unobservable as err:
            self.inventory.errors["tagged"] = err.code
        steps = {
            "keys": self._keys,
            "buckets": self._buckets,
            "repositories": self._repositories,
            "trails": self._trails,
            "log_groups": self._log_groups,
            "vpcs": self._vpcs,
            "clusters": self._clusters,
            "secrets": self._secrets,
            "roles": self._roles,
            "users": self._users,
        }
        for kind, step in steps.items():
            try:
                step()
            except Unobservable as err:
                self.inventory.errors[kind] = err.code
                if kind == "clusters":
                    self.inventory.errors["node_groups"] = err.code
        self.inventory.other_tagged = dict(sorted(self.tagged.items()))
        return self.inventory

    def _keys(self) -> None:
        prefix = f"alias/{self.tenant}-"
        tagged = self._tagged_arns("kms", "key/")
        by_key: dict[str, list[str]] = {}
        all_aliases: dict[str, list[str]] = {}
        for alias in self.reader.pages("kms", "list_aliases", "Aliases"):
            if alias.get("TargetKeyId"):
                all_aliases.setdefault(alias["TargetKeyId"], []).append(alias["AliasName"])
                if alias.get("AliasName", "").startswith(prefix):
                    by_key.setdefault(alias["TargetKeyId"], []).append(alias["AliasName"])
        # A tenant-tagged key is the tenant's whatever its alias (or none): it is judged like the others.
        for arn in tagged:
            key_id = arn.rsplit("/", 1)[-1]
            by_key.setdefault(key_id, list(all_aliases.get(key_id, [])))
        for key_id, aliases in sorted(by_key.items()):
            metadata = self.reader.read("kms", "describe_key", KeyId=key_id).data or {}
            meta = metadata.get("KeyMetadata", {})
            tags = tag_map(
                (self.reader.read("kms", "list_resource_tags", KeyId=key_id).data or {}).get("Tags")
            )
            if not _owned(tags, self.tenant):
                continue
            key = LiveKey(key_id, str(meta.get("Arn", key_id)), sorted(aliases), tags, meta)
            key.rotation_enabled = self._optional(
                lambda k=key_id: (self.reader.read("kms", "get_key_rotation_status", KeyId=k).data or {}).get(
                    "KeyRotationEnabled"
                )
            )
            self.inventory.keys.append(key)

    def _buckets(self) -> None:
        tagged = {arn.removeprefix("arn:aws:s3:::") for arn in self._tagged_arns("s3")}
        listed = self.reader.read("s3", "list_buckets").data or {}
        pattern = re.compile(rf"{re.escape(self.tenant)}-({'|'.join(BUCKET_PURPOSES)})-(\d{{12}})")
        for entry in listed.get("Buckets", []):
            name = entry["Name"]
            if not name.startswith(f"{self.tenant}-") and name not in tagged:
                continue
            tagging = self.reader.read("s3", "get_bucket_tagging", absent={"NoSuchTagSet"}, Bucket=name)
            tags = tag_map((tagging.data or {}).get("TagSet"))
            match = pattern.fullmatch(name)
            if tags.get("tenant") != self.tenant and not (match and "tenant" not in tags):
                continue
            location = self.reader.read("s3", "get_bucket_location", Bucket=name).data or {}
            # us-east-1 answers with no LocationConstraint (and the legacy EU with "EU").
            region = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(
                location.get("LocationConstraint"), str(location.get("LocationConstraint"))
            )
            if region != self.target.region:
                continue
            purpose = tags.get("purpose") or (match.group(1) if match else None)
            bucket = LiveBucket(name, region, tags, purpose)
            bucket.versioning = self._optional(
                lambda n=name: (self.reader.read("s3", "get_bucket_versioning", Bucket=n).data or {}).get(
                    "Status"
                )
            )
            bucket.object_lock = self._optional(lambda n=name: self._object_lock(n))
            self.inventory.buckets.append(bucket)

    def _object_lock(self, bucket: str) -> dict[str, Any] | None:
        reply = self.reader.read(
            "s3",
            "get_object_lock_configuration",
            absent={"ObjectLockConfigurationNotFoundError"},
            Bucket=bucket,
        )
        return None if reply.data is None else dict(reply.data.get("ObjectLockConfiguration", {}))

    def _repositories(self) -> None:
        tagged = set(self._tagged_arns("ecr", "repository/"))
        for repo in self.reader.pages("ecr", "describe_repositories", "repositories"):
            if (
                not repo["repositoryName"].startswith(f"{self.tenant}/")
                and repo["repositoryArn"] not in tagged
            ):
                continue
            arn = repo["repositoryArn"]
            tags = tag_map(
                (self.reader.read("ecr", "list_tags_for_resource", resourceArn=arn).data or {}).get("tags")
            )
            if _owned(tags, self.tenant):
                self.inventory.repositories.append(LiveRepository(repo["repositoryName"], arn, repo, tags))

    def _trails(self) -> None:
        trails = (
            self.reader.read("cloudtrail", "describe_trails", includeShadowTrails=False).data or {}
        ).get("trailList", [])
        tagged = set(self._tagged_arns("cloudtrail", "trail/"))
        for trail in trails:
            if trail.get("Name") != f"{self.tenant}-audit-trail" and trail.get("TrailARN") not in tagged:
                continue
            arn = trail["TrailARN"]
            listed = self.reader.read("cloudtrail", "list_tags", ResourceIdList=[arn]).data or {}
            tag_lists: list[dict[str, Any]] = listed.get("ResourceTagList", [])
            tags = tag_map(tag_lists[0].get("TagsList") if tag_lists else None)
            if not _owned(tags, self.tenant):
                continue
            live = LiveTrail(trail["Name"], arn, trail, tags)
            live.is_logging = self._optional(
                lambda a=arn: (self.reader.read("cloudtrail", "get_trail_status", Name=a).data or {}).get(
                    "IsLogging"
                )
            )
            self.inventory.trails.append(live)

    def _log_groups(self) -> None:
        tagged = self._tagged_arns("logs", "log-group:")
        prefixes = (f"/mlops/{self.tenant}/", f"/aws/eks/{self.tenant}-cluster/")
        for prefix in prefixes:
            for group in self.reader.pages(
                "logs", "describe_log_groups", "logGroups", logGroupNamePrefix=prefix
            ):
                self.inventory.log_groups.append(LiveLogGroup(group["logGroupName"], group, {}))
        known = {group.name for group in self.inventory.log_groups}
        for arn in tagged:
            name = arn.split(":", 6)[6].removesuffix(":*")
            if name in known:
                continue
            for group in self.reader.pages(
                "logs", "describe_log_groups", "logGroups", logGroupNamePrefix=name
            ):
                if group["logGroupName"] == name:
                    self.inventory.log_groups.append(LiveLogGroup(name, group, {}))
                    known.add(name)
        for group in self.inventory.log_groups:
            arn = str(group.data.get("logGroupArn") or group.data.get("arn", "")).removesuffix(":*")
            group.tags = (
                self._optional(
                    lambda a=arn: tag_map(
                        (self.reader.read("logs", "list_tags_for_resource", resourceArn=a).data or {}).get(
                            "tags"
                        )
                    )
                )
                or {}
            )

    def _vpcs(self) -> None:
        self._tagged_arns("ec2", "vpc/")
        filters = [{"Name": "tag:tenant", "Values": [self.tenant]}]
        for vpc in self.reader.pages("ec2", "describe_vpcs", "Vpcs", Filters=filters):
            self.inventory.vpcs.append(LiveVpc(vpc["VpcId"], vpc, tag_map(vpc.get("Tags"))))

    def _clusters(self) -> None:
        names = [f"{self.tenant}-cluster"]
        names += [arn.rsplit("/", 1)[-1] for arn in self._tagged_arns("eks", "cluster/")]
        self._tagged_arns("eks", "nodegroup/")  # read through their cluster below
        for name in dict.fromkeys(names):
            self._cluster(name)

    def _cluster(self, name: str) -> None:
        reply = self.reader.read("eks", "describe_cluster", absent={"ResourceNotFoundException"}, name=name)
        if reply.data is None:
            return
        cluster = LiveCluster(name, reply.data.get("cluster", {}))
        if not _owned(cluster.tags, self.tenant):
            return
        self.inventory.clusters.append(cluster)
        for group_name in self.reader.pages("eks", "list_nodegroups", "nodegroups", clusterName=name):
            data = (
                self.reader.read("eks", "describe_nodegroup", clusterName=name, nodegroupName=group_name).data
                or {}
            )
            self.inventory.node_groups.append(LiveNodeGroup(group_name, name, data.get("nodegroup", {})))

    def _secrets(self) -> None:
        tagged = self._tagged_arns("secretsmanager", "secret:")
        filters = [{"Key": "name", "Values": [f"{self.tenant}/"]}]
        for secret in self.reader.pages("secretsmanager", "list_secrets", "SecretList", Filters=filters):
            live = LiveSecret(secret["Name"], secret)
            # The name filter is a prefix match: keep only the tenant's own namespace.
            if live.name.startswith(f"{self.tenant}/") and _owned(live.tags, self.tenant):
                self.inventory.secrets.append(live)
        known = {secret.resource for secret in self.inventory.secrets}
        for arn in tagged:
            if arn in known:
                continue
            # DescribeSecret answers with the ListSecrets fields the checks judge (never the value).
            data = self.reader.read("secretsmanager", "describe_secret", SecretId=arn).data or {}
            self.inventory.secrets.append(LiveSecret(str(data.get("Name", arn)), data))

    def _roles(self) -> None:
        tagged = set(self._tagged_arns("iam", "role/"))
        for role in self.reader.pages("iam", "list_roles", "Roles"):
            if not role["RoleName"].startswith(f"{self.tenant}-") and role.get("Arn") not in tagged:
                continue
            # list_roles leaves tags out; get_role has them, with the trust policy and session limit.
            data = (self.reader.read("iam", "get_role", RoleName=role["RoleName"]).data or {}).get(
                "Role", role
            )
            live = LiveRole(role["RoleName"], data)
            if _owned(live.tags, self.tenant):
                self.inventory.roles.append(live)

    def _users(self) -> None:
        for user in self.reader.pages("iam", "list_users", "Users"):
            name = user["UserName"]
            tags = tag_map((self.reader.read("iam", "list_user_tags", UserName=name).data or {}).get("Tags"))
            if tags.get("tenant") == self.tenant or (
                name.startswith(f"{self.tenant}-") and "tenant" not in tags
            ):
                self.inventory.users.append(LiveUser(name, user, tags))

    @staticmethod
    def _optional(read: Any) -> Any:
        """A property discovery reads for drift; when it cannot be seen the check says so, not discovery."""
        try:
            return read()
        except Unobservable:
            return None


def discover(reader: AwsReader, target: AuditTarget) -> LiveInventory:
    return Discovery(reader, target).run()
