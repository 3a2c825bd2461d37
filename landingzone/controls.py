"""The control catalog (landingzone/data/controls.yaml): the project's own spec of the hoster checklist."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

BASELINE = "baseline"
REGULATED = "regulated"


@dataclass(frozen=True)
class Control:
    id: str
    area: str
    level: str
    title: str
    requirement: str
    scope: tuple[str, ...]
    refs: tuple[str, ...]

    @property
    def policy_prefix(self) -> str:
        """Every policy enforcing this control has a name starting with this (e.g. `prov-03-`)."""
        return f"{self.id.lower()}-"


@dataclass(frozen=True)
class Catalog:
    version: str
    controls: dict[str, Control]

    def control(self, control_id: str) -> Control:
        return self.controls[control_id]


@cache
def load_controls() -> Catalog:
    text = resources.files("landingzone").joinpath("data/controls.yaml").read_text()
    document = yaml.safe_load(text)
    controls = {
        entry["id"]: Control(
            id=entry["id"],
            area=entry["area"],
            level=entry["level"],
            title=entry["title"],
            requirement=" ".join(entry["requirement"].split()),
            scope=tuple(entry.get("scope") or ()),
            refs=tuple(entry.get("refs") or ()),
        )
        for entry in document["controls"]
    }
    return Catalog(version=str(document["version"]), controls=controls)
