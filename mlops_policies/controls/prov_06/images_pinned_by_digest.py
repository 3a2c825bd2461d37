"""The rule `prov-06-images-pinned-by-digest`, one of the PROV-06 rules.

PROV-06: Workloads run images pinned by digest.
"""

from __future__ import annotations

import re

from pulumi_policy import Severity

from mlops_policies import workloads
from mlops_policies.props import get
from mlops_policies.rule import ResourceCheck, resource_rule

DIGEST_PINNED = re.compile(r"[^@\s]+@sha256:[0-9a-f]{64}")


@resource_rule(
    "prov-06-images-pinned-by-digest",
    control="PROV-06",
    types=workloads.WORKLOAD_TYPES,
    severity=Severity.HIGH,
    description="Every container, init container and ephemeral container of a workload references its image "
    "by digest (<repository>@sha256:<64 hex characters>), so the image that runs is the image that was "
    "reviewed and signed.",
    remediation="Set image='<registry>/<repository>@sha256:<digest>' (a tag may stay before the digest, "
    "e.g. 'repo:1.2@sha256:...'); resolve digests at build time, e.g. from the ECR image's imageDigest.",
)
def images_pinned_by_digest(r: ResourceCheck) -> None:
    for pod_spec in workloads.pod_specs(r.type, r.props):
        for container in workloads.containers(pod_spec):
            image = get(container.container, "image")
            if isinstance(image, str) and DIGEST_PINNED.fullmatch(image):
                continue
            found = repr(image) if isinstance(image, str) else "missing"
            r.fail(
                f"{r.label} has {container.path}.image {found}; "
                "required: an image pinned by digest (<repository>@sha256:<64 hex characters>)"
            )
