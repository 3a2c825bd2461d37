"""`tenantctl --version`: the project's version, the control catalog's and each policy pack's."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from tenantctl.packs import pack_version

# The repository's own packs, beside the tenantctl package (an editable install or a checkout).
PACKS_DIR = Path(__file__).resolve().parent.parent / "policy_packs"


def project_version() -> str:
    try:
        return importlib.metadata.version("mlops-landing-zone")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed)"


def version_text(packs_dir: Path = PACKS_DIR) -> str:
    from landingzone.controls import load_controls

    lines = [f"tenantctl {project_version()}", f"control catalog {load_controls().version}"]
    packs = (
        sorted(p for p in packs_dir.iterdir() if (p / "PulumiPolicy.yaml").is_file())
        if packs_dir.is_dir()
        else []
    )
    lines += [f"policy pack {p.name} {pack_version(p)}" for p in packs]
    if not packs:
        lines.append(f"policy packs: none found in {packs_dir}")
    return "\n".join(lines)
