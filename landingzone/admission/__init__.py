"""Admission policies generated from the control catalog, for every tenant cluster.

The in-cluster half of the controls that judge pod specs and namespaced objects (GPU-06, PROV-06,
SEC-04, SEC-07, DATA-07) and of TEN-06, as Kubernetes ValidatingAdmissionPolicies (CEL, no extra
controller) with one Deny binding each on the tenant's namespaces. Pure logic: the component
(components/admission.py) and the TEN-06 CrossGuard policy both call `tenant_policies`, so what the
landing zone installs and what the pack requires are the same objects. See docs/admission.md.
"""

from __future__ import annotations

from landingzone.admission.model import Policy, Validation
from landingzone.admission.policies import AdmissionSettings, tenant_policies
from landingzone.config import MANAGED_BY, StackSettings


def settings_from_stack(settings: StackSettings) -> AdmissionSettings:
    """The admission settings of a validated stack config (namespaces `<tenant>-<environment>`)."""
    tenant, platform = settings.tenant, settings.platform
    return AdmissionSettings(
        tenant_id=tenant.id,
        account_id=platform.account_id,
        region=settings.region,
        namespaces=tuple(f"{tenant.id}-{env.value}" for env in tenant.environments),
        repositories=tuple(tenant.registry.repositories),
        vpc_cidr=tenant.network.cidr,
        egress_allowlist=tuple(e for e in tenant.network.egress_allowlist if not e.startswith("pl-")),
        platform_role_arn=platform.admin_role_arn,
        managed_by=MANAGED_BY,
        quarantined=settings.incident is not None,
    )


__all__ = ["AdmissionSettings", "Policy", "Validation", "settings_from_stack", "tenant_policies"]
