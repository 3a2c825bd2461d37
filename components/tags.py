"""Tags every taggable resource carries (TEN-01), set explicitly so policies see them in the inputs."""

from __future__ import annotations

from dataclasses import dataclass

from landingzone.config import MANAGED_BY

SHARED_ENVIRONMENT = "shared"


@dataclass(frozen=True)
class Tagging:
    """The tenant's tag vocabulary: `tags()` for resources, `bucket_tags()` for buckets, `labels()` for k8s.

    Set explicitly on every resource, because policies judge inputs and provider default_tags never
    reach them.
    """

    tenant: str
    data_classification: str

    def tags(self, environment: str = SHARED_ENVIRONMENT, **extra: str) -> dict[str, str]:
        return {"tenant": self.tenant, "environment": environment, "managed-by": MANAGED_BY, **extra}

    def bucket_tags(self, purpose: str, environment: str = SHARED_ENVIRONMENT) -> dict[str, str]:
        return self.tags(environment, purpose=purpose, **{"data-classification": self.data_classification})

    def labels(self, environment: str = SHARED_ENVIRONMENT) -> dict[str, str]:
        return {"tenant": self.tenant, "environment": environment, "app.kubernetes.io/managed-by": MANAGED_BY}
