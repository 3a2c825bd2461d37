"""Tags every taggable resource carries (TEN-01), set explicitly so policies see them in the inputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from landingzone.config import MANAGED_BY

SHARED_ENVIRONMENT = "shared"


@dataclass(frozen=True)
class Tagging:
    """The tenant's tag vocabulary: `tags()` for resources, `bucket_tags()` for buckets, `labels()` for k8s.

    Set explicitly on every resource, because policies judge inputs and provider default_tags never
    reach them.
    """

    tenant: str
    """The tenant id, tag and label `tenant`; no default."""
    data_classification: str
    """Tag `data-classification` of every bucket; no default."""
    stamp: Mapping[str, str] = field(default_factory=dict)
    """The version stamp (landingzone.versions.stamp(): project and catalog version) added to every tag
    set and label set, so the audit can tell which controls were active; default none."""

    def tags(self, environment: str = SHARED_ENVIRONMENT, **extra: str) -> dict[str, str]:
        return {
            "tenant": self.tenant,
            "environment": environment,
            "managed-by": MANAGED_BY,
            **self.stamp,
            **extra,
        }

    def bucket_tags(self, purpose: str, environment: str = SHARED_ENVIRONMENT) -> dict[str, str]:
        return self.tags(environment, purpose=purpose, **{"data-classification": self.data_classification})

    def labels(self, environment: str = SHARED_ENVIRONMENT) -> dict[str, str]:
        return {
            "tenant": self.tenant,
            "environment": environment,
            "app.kubernetes.io/managed-by": MANAGED_BY,
            **self.version_labels(),
        }

    def version_labels(self) -> dict[str, str]:
        """The stamp alone, for Kubernetes objects that build their own labels (admission policies,
        bindings): `{"landingzone/version": ..., "landingzone/catalog-version": ...}`."""
        return dict(self.stamp)
