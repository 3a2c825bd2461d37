"""What a new tenant asks for: an intake file (`--from`), command-line flags, or both (flags win).

The intake is checked for shape only (which fields exist, strings vs. numbers vs. lists) so that a
malformed file is refused with the file and field named. Whether the values are allowed is the tenant
config model's job, so its messages stay the single source of truth.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from tenantctl.onboarding.errors import Refusal

# `--gpu POOL=INSTANCE_TYPE[:dedicated|mig][:LAYOUT][:MIN-MAX]`
_SIZES = re.compile(r"(\d+)-(\d+)")


class _Shape(BaseModel):
    # strict: YAML `min_size: "2"` or `tenant: 123` is a mistake worth naming, not something to coerce.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class PoolRequest(_Shape):
    name: str
    instance_type: str
    sharing: str | None = None
    mig_layout: str | None = None
    min_size: int | None = None
    max_size: int | None = None
    disk_size_gib: int | None = None


class SecretRequest(_Shape):
    name: str
    description: str | None = None
    rotation_days: int | None = None


class RetentionRequest(_Shape):
    audit_days: int | None = None
    registry_days: int | None = None
    log_days: int | None = None
    artifact_days: int | None = None


class OnboardRequest(_Shape):
    """Everything a tenant may choose. None means "not given": the model's (or tier's) default applies."""

    tenant: str | None = None
    tier: str | None = None
    environments: list[str] | None = None
    gpu_pools: list[PoolRequest] | None = None
    egress: str | None = None
    egress_allowlist: list[str] | None = None
    secrets: list[SecretRequest] | None = None
    repositories: list[str] | None = None
    artifact_buckets: list[str] | None = None
    retention: RetentionRequest | None = None
    confirm_compliance_retention: bool | None = None
    """COMPLIANCE object lock longer than platform.yaml's compliance_retention_max_days is irreversible."""

    def merged(self, overrides: dict[str, Any]) -> OnboardRequest:
        """This request with every given (not None) override applied; overrides replace, never merge lists."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return self.model_validate({**self.model_dump(exclude_none=True), **given})


def read_intake(path: Path) -> OnboardRequest:
    """Parse an intake file; any problem with it is a Refusal naming the file and the field."""
    try:
        with path.open("rb") as stream:  # a stream, so YAML errors name the file
            document = yaml.safe_load(stream)
    except OSError as err:
        raise Refusal(str(path), [f"cannot read the intake file: {err.strerror or err}"]) from None
    except yaml.YAMLError as err:
        raise Refusal(str(path), [f"not valid YAML: {err}"]) from None
    except RecursionError:
        raise Refusal(str(path), ["nested too deeply to be an intake file"]) from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        found = type(document).__name__
        raise Refusal(
            str(path), [f"must be a mapping of onboarding fields (tenant, tier, ...), found {found}"]
        )
    try:
        return OnboardRequest.model_validate(document)
    except ValidationError as err:
        raise Refusal(str(path), [_intake_problem(e) for e in err.errors()]) from None


def _intake_problem(error: Any) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{path}: unknown field; allowed: {', '.join(_allowed_at(error['loc']))}"
    return f"{path}: {error['msg']}"


def _allowed_at(loc: tuple[Any, ...]) -> list[str]:
    # The field list of whichever level the stray key sits at: top level, a gpu pool or a secret.
    model: type[BaseModel] = OnboardRequest
    if len(loc) > 1 and loc[0] == "gpu_pools":
        model = PoolRequest
    elif len(loc) > 1 and loc[0] == "secrets":
        model = SecretRequest
    return list(model.model_fields)


def parse_gpu_flag(text: str) -> PoolRequest:
    """`POOL=INSTANCE_TYPE[:dedicated|mig][:LAYOUT][:MIN-MAX]` -> a pool request; ValueError if malformed.

    Only the syntax is checked here; instance type, sharing mode, layout and sizes are judged by the
    model so every pool is refused with the same message however it was asked for.
    """
    name, sep, spec = text.partition("=")
    if not sep or not name or not spec:
        raise ValueError(f"--gpu '{text}': expected POOL=INSTANCE_TYPE:dedicated|mig[:LAYOUT][:MIN-MAX]")
    instance_type, *rest = spec.split(":")
    fields: dict[str, Any] = {"name": name, "instance_type": instance_type}
    if rest:
        fields["sharing"] = rest.pop(0)
    for part in rest:
        if part[:1].isdigit() or part[:1] == "-":
            # Layouts never start with a digit (all-*, none numeric), so this can only be meant as sizes.
            sizes = _SIZES.fullmatch(part)
            if not sizes or "min_size" in fields:
                raise ValueError(f"--gpu '{text}': bad MIN-MAX '{part}'; expected two whole numbers like 0-4")
            fields["min_size"], fields["max_size"] = int(sizes[1]), int(sizes[2])
        elif "mig_layout" in fields or "min_size" in fields:
            raise ValueError(f"--gpu '{text}': unexpected '{part}'; the layout comes before MIN-MAX, once")
        else:
            fields["mig_layout"] = part
    return PoolRequest.model_validate(fields)


def split_list(text: str) -> list[str]:
    """`dev,train, prod` -> ['dev', 'train', 'prod']: the comma lists of --environments and --allow."""
    return [item.strip() for item in text.split(",") if item.strip()]
