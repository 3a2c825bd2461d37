"""The user's --policy-pack-config file: reading it, and routing its entries to the packs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class PolicyConfigFileError(Exception):
    """The --policy-pack-config file is unreadable or has the wrong shape (exit 2)."""


def load_policy_config(path: Path | None) -> tuple[dict[str, Any], str]:
    """The parsed --policy-pack-config file and its text (the text goes into the cache key)."""
    if path is None:
        return {}, ""
    try:
        text = path.read_text()
        data = json.loads(text)
    except OSError as err:
        raise PolicyConfigFileError(f"{path}: cannot read the policy-pack config ({err.strerror})") from None
    except ValueError as err:
        raise PolicyConfigFileError(f"{path}: the policy-pack config is not valid JSON ({err})") from None
    if not isinstance(data, dict):
        raise PolicyConfigFileError(f"{path}: the policy-pack config must be a JSON object")
    return data, text


def config_for_pack(
    user_config: Mapping[str, Any], pack: str, policy_names: set[str], packs: set[str]
) -> dict:
    """The part of the user's file that concerns one pack.

    Two shapes are accepted: keyed by pack folder (`{"mlops-baseline": {...}}`), or the CLI's flat
    `--policy-pack-config` shape shared by both packs, where `all` applies to every pack and a
    policy entry goes to the pack that declares it (one file serves a fleet of mixed tiers).
    """
    if user_config and set(user_config) <= packs:
        return dict(user_config.get(pack) or {})
    selected = {k: v for k, v in user_config.items() if k in policy_names}
    if "all" in user_config:
        selected["all"] = user_config["all"]
    return selected


def unknown_policy_names(user_config: Mapping[str, Any], packs: set[str], known: set[str]) -> list[str]:
    if not user_config or set(user_config) <= packs:
        return []
    return sorted(set(user_config) - known - {"all"})
