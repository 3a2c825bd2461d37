"""Render a validated stack as the commented YAML file a reviewer reads in the onboarding pull request.

Comments are the config model's own field descriptions, so the file documents itself and cannot drift
from what the model enforces. Every field is written out, defaults included: the reviewer sees exactly
what the tenant gets, and a later change to a model default does not silently change this tenant.
"""

from __future__ import annotations

import textwrap
from typing import Any

import yaml
from pydantic import BaseModel

from landingzone.config import (
    PLATFORM_KEY,
    REGION_KEY,
    TENANT_KEY,
    ConfigError,
    StackSettings,
    parse_settings,
)
from tenantctl.onboarding.errors import Refusal

INDENT = "  "
COMMENT_WIDTH = 100
_INFINITE = float("inf")
# Sections the model leaves undescribed; said here once so the reviewer knows where the values came from.
_SECTION_NOTES = {
    "network": "Allocated by `tenantctl onboard`: the lowest free block of the pool in platform.yaml.",
    "retention": "Tier defaults: may be raised, never lowered below the control minimums.",
    "registry": "Model registry: ECR repositories and the intermediate-artifact buckets.",
}


def render_stack(settings: StackSettings, source: str) -> str:
    """The stack file for `settings`; refuses if the text would not load back to exactly these settings."""
    tenant = settings.tenant
    lines = [
        f"# Tenant {tenant.id}: {tenant.tier.value} tier, network {tenant.network.cidr} (platform pool).",
        "# Written by `tenantctl onboard`; the comments are the config model's field descriptions.",
        f"# Next: `tenantctl check --stack {settings.stack}`, then open a pull request (CI runs the gate).",
        "config:",
        *_comment("AWS region of the landing zone (from platform.yaml).", 1),
        f"{INDENT}{REGION_KEY}: {_scalar(settings.region)}",
        f"{INDENT}{PLATFORM_KEY}:",
        *_mapping(settings.platform, 2, describe=True),
        f"{INDENT}{TENANT_KEY}:",
        *_mapping(tenant, 2, describe=True),
    ]
    text = "\n".join(lines) + "\n"
    _check_round_trip(text, settings, source)
    return text


def _mapping(model: BaseModel, depth: int, describe: bool) -> list[str]:
    data = model.model_dump(mode="json")
    lines: list[str] = []
    for name, info in type(model).model_fields.items():
        if data[name] is None:
            continue  # unset optional fields (mig_layout of a dedicated pool, ...) stay out of the file
        note = info.description or _SECTION_NOTES.get(name)
        if describe and note:
            lines.extend(_comment(note, depth))
        lines.extend(_entry(name, getattr(model, name), data[name], depth, describe))
    return lines


def _entry(key: str, value: Any, raw: Any, depth: int, describe: bool) -> list[str]:
    head = f"{INDENT * depth}{key}:"
    if isinstance(value, BaseModel):
        return [head, *_mapping(value, depth + 1, describe)]
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        lines = [head]
        for position, item in enumerate(value):
            # Describe the fields of the first item only: one explanation per field is enough.
            lines.extend(_list_item(_mapping(item, depth + 2, describe and position == 0), depth + 1))
        return lines
    if isinstance(value, dict) and value and isinstance(next(iter(value.values())), BaseModel):
        lines = [head]
        for (raw_key, _), item in zip(raw.items(), value.values(), strict=True):
            lines.extend([f"{INDENT * (depth + 1)}{_scalar(raw_key)}:", *_mapping(item, depth + 2, describe)])
        return lines
    return [f"{head} {_flow(raw) if isinstance(raw, list | dict) else _scalar(raw)}"]


def _list_item(lines: list[str], depth: int) -> list[str]:
    """Turn a mapping rendered one level deeper into a `- ` sequence item; comments stay above the dash."""
    out = []
    marked = False
    for line in lines:
        stripped = line.lstrip(" ")
        if not marked and stripped.startswith("#"):
            out.append(INDENT * depth + stripped)
        elif not marked:
            out.append(INDENT * depth + "- " + stripped)
            marked = True
        else:
            out.append(line)
    return out


def _comment(text: str, depth: int) -> list[str]:
    prefix = INDENT * depth + "# "
    return [prefix + line for line in textwrap.wrap(text, COMMENT_WIDTH - len(prefix)) or [""]]


def _scalar(value: Any) -> str:
    # PyYAML picks the quoting; a value it would spread over several lines is forced into one
    # double-quoted line so it cannot break the surrounding indentation.
    text = _dump(value, None)
    return text if "\n" not in text else _dump(value, '"')


def _flow(value: list[Any] | dict[str, Any]) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=_INFINITE, allow_unicode=True).strip()
    return text if "\n" not in text else _dump(value, '"')


def _dump(value: Any, style: str | None) -> str:
    text = yaml.safe_dump(
        value, default_style=style, width=_INFINITE, allow_unicode=True, default_flow_style=True
    )
    return text.removesuffix("\n").removesuffix("\n...")


def _check_round_trip(text: str, settings: StackSettings, source: str) -> None:
    """The file must mean exactly what was validated; otherwise nothing is written."""
    try:
        text.encode("utf-8")
        config = yaml.safe_load(text)["config"]
        reparsed = parse_settings(settings.stack, config, source)
    except (UnicodeError, yaml.YAMLError, ConfigError) as err:
        raise Refusal(source, [f"the rendered stack file does not load back: {err}"]) from None
    if reparsed != settings:
        raise Refusal(source, ["the rendered stack file does not load back to the validated config"])
