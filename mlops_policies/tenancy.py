"""Names tenancy rules of several controls share: environments, bucket purposes, the missing tenant."""

from __future__ import annotations

BUCKET_PURPOSES = (
    "model-registry", "audit-log", "dataset", "checkpoint", "feature-store", "experiment-tracking",
    "artifacts",
)  # fmt: skip
ENVIRONMENTS = ("dev", "eval", "train", "staging", "prod")
NO_TENANT = "stack config landingzone:tenant.id is missing"
