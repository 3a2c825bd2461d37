"""Reading one tag of an AWS resource (TEN-01)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_policies.props import as_list, get


def tag_value(props: Any, key: str) -> Any:
    """A tag's value: from a map, or from a list of {key, value} (autoscaling groups)."""
    tags = get(props, "tags")
    if isinstance(tags, Mapping):
        return get(tags, key)
    for entry in as_list(tags):
        if get(entry, "key") == key:
            return get(entry, "value")
    return None
