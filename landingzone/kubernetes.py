"""The Kubernetes versions a stack may name: from landingzone/data/kubernetes-versions.yaml, by date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

DATA_FILE = "landingzone/data/kubernetes-versions.yaml"


@dataclass(frozen=True)
class KubernetesVersion:
    version: str
    released: dt.date
    end_of_standard_support: dt.date
    end_of_extended_support: dt.date


@dataclass(frozen=True)
class VersionCalendar:
    as_of: dt.date
    versions: tuple[KubernetesVersion, ...]

    def supported(self, today: dt.date) -> list[str]:
        """Versions EKS has released and still supports (standard or extended) on `today`."""
        return [v.version for v in self.versions if v.released <= today <= v.end_of_extended_support]


@cache
def load_calendar() -> VersionCalendar:
    document = yaml.safe_load(
        resources.files("landingzone").joinpath("data/kubernetes-versions.yaml").read_text()
    )
    return VersionCalendar(
        as_of=document["as_of"],
        versions=tuple(KubernetesVersion(**entry) for entry in document["versions"]),
    )


def supported_versions_problem(version: str, today: dt.date | None = None) -> str | None:
    """Why `version` cannot be deployed on `today`, naming the versions that can; None when it can."""
    calendar = load_calendar()
    today = today or dt.date.today()
    supported = calendar.supported(today)
    if version in supported:
        return None
    return (
        f"'{version}' is not a supported EKS version on {today.isoformat()}; allowed: {', '.join(supported)} "
        f"({DATA_FILE}, as of {calendar.as_of.isoformat()})"
    )
