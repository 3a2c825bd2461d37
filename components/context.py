"""TenantContext: who and where a landing zone is (tenant, account, region, tags), passed once to all.

Built once from the validated stack config (`TenantContext.of`, called by components.landing_zone) so
each component's args carry `tenant` plus only what is the component's own. There is no partition:
every ARN the components and the policy packs spell is `arn:aws:...`, so a field nothing reads would
suggest a GovCloud or China deployment the project does not support.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from components.tags import Tagging
from landingzone.config import StackSettings


@dataclass(frozen=True)
class TenantContext:
    """The facts every component of one tenant's landing zone shares; immutable, so no component can
    change what another one sees."""

    id: str
    """The tenant id (`landingzone:tenant.id`); prefixes every resource name. No default."""
    account_id: str
    """The AWS account the stack deploys into (`landingzone:platform.account_id`); no default. The program
    makes no look-ups, so ARNs are spelled from it and known in a first preview."""
    region: str
    """The stack's region (`aws:region`), for service principals, endpoints and ARNs; no default."""
    data_classification: str
    """The tenant's data classification (`landingzone:tenant.data_classification`), tagged on every
    bucket; no default."""
    stamp: Mapping[str, str] = field(default_factory=dict)
    """The version stamp (landingzone.versions.stamp()) added to every tag and label set; default none."""

    @classmethod
    def of(cls, stack_config: StackSettings, stamp: Mapping[str, str]) -> TenantContext:
        """The context of a validated stack config, stamped with the versions the stack deploys."""
        tenant = stack_config.tenant
        return cls(
            id=tenant.id,
            account_id=stack_config.platform.account_id,
            region=stack_config.region,
            data_classification=tenant.data_classification.value,
            stamp=dict(stamp),
        )

    @cached_property
    def tagging(self) -> Tagging:
        """The tenant's tag vocabulary (TEN-01), derived from the fields: it cannot name another tenant."""
        return Tagging(self.id, self.data_classification, self.stamp)
