"""The versions the program stamps on a tenant's stack, so "which controls were active when this job
ran" has an answer on the resources themselves: stack outputs, a tag on every AWS resource and a label
on every Kubernetes object of the tenant (components/tags.py applies them; the audit reads them back).

Keys and values are valid both as AWS tag keys/values and as Kubernetes label keys/values
(`landingzone` is a DNS-label prefix; versions are at most 63 characters of [A-Za-z0-9._-]).
"""

from __future__ import annotations

import importlib.metadata
import re

from landingzone.controls import load_controls

PROJECT_VERSION_TAG = "landingzone/version"
CATALOG_VERSION_TAG = "landingzone/catalog-version"
STAMP_KEYS = (PROJECT_VERSION_TAG, CATALOG_VERSION_TAG)
UNKNOWN = "unknown"
_LABEL_VALUE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?")


def project_version() -> str:
    """The installed mlops-landing-zone version (pyproject.toml); `unknown` when not installed."""
    try:
        return importlib.metadata.version("mlops-landing-zone")
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN


def catalog_version() -> str:
    return str(load_controls().version)


def _label_safe(value: str) -> str:
    # A local version such as 0.1.0+abc has a '+', which Kubernetes label values do not allow.
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", value)[:63]
    return cleaned if _LABEL_VALUE.fullmatch(cleaned) else UNKNOWN


def stamp() -> dict[str, str]:
    """The version stamp: {landingzone/version: ..., landingzone/catalog-version: ...}."""
    return {
        PROJECT_VERSION_TAG: _label_safe(project_version()),
        CATALOG_VERSION_TAG: _label_safe(catalog_version()),
    }
