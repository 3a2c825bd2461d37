"""The onboarding flow: plan without side effects, then lock, re-plan on the current fleet and write."""

from __future__ import annotations

from pathlib import Path

from landingzone.config import stack_file
from tenantctl.onboarding.defaults import load_defaults
from tenantctl.onboarding.fleet import STACKS_DIR, read_fleet
from tenantctl.onboarding.intake import OnboardRequest
from tenantctl.onboarding.plan import Plan, plan_tenant
from tenantctl.onboarding.writer import fleet_lock, write_new


def onboard(request: OnboardRequest, project_dir: Path, origin: str, dry_run: bool = False) -> Plan:
    """Write (or with dry_run only plan) the new tenant's stack file; raises Refusal with nothing written."""
    defaults = load_defaults(project_dir)
    # First pass, lock-free: every refusal a request can earn on its own is raised here, before anything
    # (not even the lock file) is created, so a refused request leaves stacks/ exactly as it was.
    plan = plan_tenant(request, defaults, read_fleet(project_dir), origin)
    if dry_run:
        return plan
    with fleet_lock(project_dir / STACKS_DIR):
        # Authoritative pass: another onboarding may have written a stack since the first read.
        plan = plan_tenant(request, defaults, read_fleet(project_dir), origin)
        write_new(stack_file(project_dir, plan.stack), plan.text)
    return plan
