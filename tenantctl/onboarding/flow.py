"""The onboarding flow: draft without side effects, then lock, re-draft on the current fleet and write."""

from __future__ import annotations

from pathlib import Path

from landingzone.config import stack_file
from tenantctl.onboarding.defaults import load_defaults
from tenantctl.onboarding.fleet import STACKS_DIR, read_fleet
from tenantctl.onboarding.intake import OnboardRequest
from tenantctl.onboarding.stack_draft import StackDraft, draft_stack
from tenantctl.onboarding.writer import fleet_lock, write_new


def onboard(request: OnboardRequest, project_dir: Path, origin: str, dry_run: bool = False) -> StackDraft:
    """Write (or with dry_run only draft) the new tenant's stack file; raises Refusal with nothing written."""
    defaults = load_defaults(project_dir)
    # First pass, lock-free: every refusal a request can earn on its own is raised here, before anything
    # (not even the lock file) is created, so a refused request leaves stacks/ exactly as it was.
    draft = draft_stack(request, defaults, read_fleet(project_dir), origin)
    if dry_run:
        return draft
    with fleet_lock(project_dir / STACKS_DIR):
        # Authoritative pass: another onboarding may have written a stack since the first read.
        draft = draft_stack(request, defaults, read_fleet(project_dir), origin)
        write_new(stack_file(project_dir, draft.stack), draft.text)
    return draft
