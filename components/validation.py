"""How a component refuses bad args: every problem at once, each with its property path (Pulumi's component
guidelines), raised as `pulumi.InputPropertiesError` before the component registers anything.

The engine shows each property error when a component runs behind a provider; a Python program shows
only the exception's message, so the message lists them too.
"""

from __future__ import annotations

import pulumi


def problem(property_path: str, reason: str) -> pulumi.InputPropertyErrorDetails:
    """One problem: `property_path` into the args (`min_size`, `secrets[1].rotation_days`) and why."""
    return {"property_path": property_path, "reason": reason}


def refuse_invalid(component: str, name: str, problems: list[pulumi.InputPropertyErrorDetails]) -> None:
    """Raise all of `problems` together for component type `component` named `name`; nothing if none."""
    if problems:
        listing = "; ".join(f"{p['property_path']}: {p['reason']}" for p in problems)
        raise pulumi.InputPropertiesError(f"{component} {name}: invalid args: {listing}", problems)


def size_problems(
    min_size: int, max_size: int, floor: int, cap: int, floor_reason: str = "", cap_reason: str = ""
) -> list[pulumi.InputPropertyErrorDetails]:
    """A node pool's size bounds: `floor <= min_size <= max_size <= cap`, one problem per broken bound."""
    problems = []
    if min_size < floor:
        problems.append(problem("min_size", f"{min_size} is below {floor}{floor_reason}"))
    if min_size > max_size:
        problems.append(problem("min_size", f"{min_size} is above max_size {max_size}"))
    if max_size > cap:
        problems.append(problem("max_size", f"{max_size} is above {cap}{cap_reason}"))
    return problems
