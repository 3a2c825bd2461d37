"""The rule `data-08-service-internal-load-balancer`, one of the DATA-08 rules.

DATA-08: Serving endpoints and clusters are not public.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.messages import as_shown
from mlops_policies.props import get, tags_of
from mlops_policies.rule import ResourceCheck, resource_rule

SERVICE = "kubernetes:core/v1:Service"
SCHEME_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-scheme"
INTERNAL_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-internal"


@resource_rule(
    "data-08-service-internal-load-balancer",
    control="DATA-08",
    types=[SERVICE],
    severity=Severity.HIGH,
    description="Kubernetes Services of type LoadBalancer ask for an internal load balancer.",
    remediation=f"Add metadata.annotations {{'{SCHEME_ANNOTATION}': 'internal'}} (or "
    f"'{INTERNAL_ANNOTATION}': 'true') to the Service, or use type ClusterIP behind the platform's ingress.",
)
def service_internal_load_balancer(r: ResourceCheck) -> None:
    if get(r.props, "spec", "type") != "LoadBalancer":
        return
    annotations = tags_of(get(r.props, "metadata"), "annotations")
    scheme, internal = annotations.get(SCHEME_ANNOTATION), annotations.get(INTERNAL_ANNOTATION)
    if scheme == "internal" or (scheme is None and (internal or "").lower() == "true"):
        return
    r.fail(
        f"{r.label} has spec.type 'LoadBalancer' with metadata.annotations {SCHEME_ANNOTATION} "
        f"{as_shown(scheme)} and {INTERNAL_ANNOTATION} {as_shown(internal)}; required: {SCHEME_ANNOTATION} "
        f"'internal' (or {INTERNAL_ANNOTATION} 'true')"
    )
