"""The audit's checks, one module per control area; importing this package registers all of them."""

from tenantctl.audit.checks import audit_trail, data_leakage, gpu, provenance, secrets, tenancy
from tenantctl.audit.checks.registry import CHECKS, AuditContext, CheckSpec, Missing, Outcome

__all__ = [
    "CHECKS",
    "AuditContext",
    "CheckSpec",
    "Missing",
    "Outcome",
    "audit_trail",
    "data_leakage",
    "gpu",
    "provenance",
    "secrets",
    "tenancy",
]
