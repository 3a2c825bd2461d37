"""Tenant onboarding: `tenantctl onboard`, `tenantctl validate` and `tenantctl tenants`.

`register(subparsers)` adds the three sub-commands to tenantctl's argument parser; `onboard`,
`validate_fleet` and friends are the same operations as plain functions.
"""

from tenantctl.onboarding.commands import main, register
from tenantctl.onboarding.errors import Refusal
from tenantctl.onboarding.fleet import FleetReport, validate_fleet
from tenantctl.onboarding.flow import onboard
from tenantctl.onboarding.intake import OnboardRequest, read_intake

__all__ = [
    "FleetReport",
    "OnboardRequest",
    "Refusal",
    "main",
    "onboard",
    "read_intake",
    "register",
    "validate_fleet",
]
