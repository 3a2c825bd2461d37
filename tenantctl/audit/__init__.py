"""`tenantctl audit`: a read-only post-deploy audit of a tenant's AWS resources against the control catalog.

Public entry points: `register(subparsers)` for the CLI, `run_audit(...)` for programs and tests,
`compare_intended(...)` for drift against a stack's recorded resources.
"""

from tenantctl.audit.cli import register
from tenantctl.audit.clients import ClientFactory, ReadOnlyViolation
from tenantctl.audit.drift import compare_intended
from tenantctl.audit.inventory import LiveInventory
from tenantctl.audit.model import AuditReport, AuditTarget, CheckResult, Drift, Status, Thresholds
from tenantctl.audit.runner import run_audit

__all__ = [
    "AuditReport",
    "AuditTarget",
    "CheckResult",
    "ClientFactory",
    "Drift",
    "LiveInventory",
    "ReadOnlyViolation",
    "Status",
    "Thresholds",
    "compare_intended",
    "register",
    "run_audit",
]
