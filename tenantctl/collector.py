"""When Python's cyclic garbage collector runs while stacks are checked.

Why this exists: a check allocates in bursts (the provider SDKs' classes and type hints as they load,
then every Output, future and task of the program's registrations), and each burst triggers
collections that walk everything alive, most of it module objects that will never be garbage. That was
about a tenth of a one-stack check's wall time (bench/RESULTS.md). A check makes little cyclic garbage,
so the collector is paused while one stack is checked. What happens after depends on what comes next:

- another stack (a fleet worker): one collection frees the check's cycles; after the first stack, the
  survivors (modules, classes) are frozen, so no later collection walks them again;
- nothing but reports and exit (the last or only stack): what the check left is frozen, uncollected.
  Collecting it would only walk the ~million objects the check made (0.2-0.4 s) to free a few MB the
  process is about to give back.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused(*, another_stack_follows: bool) -> Iterator[None]:
    """No automatic collection inside the block; afterwards, as the module says, then as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if another_stack_follows:
            _collect_between_stacks()
        else:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _collect_between_stacks() -> None:
    # Freeze only once: what a later stack leaves alive is that stack's (the SDK's runtime state, the
    # last program's objects), which the next stack drops. Frozen, it could never be collected, and a
    # worker's memory would grow by it with every stack (100 tenants: 318 MB instead of 190 MB).
    global _frozen
    gc.collect()
    if not _frozen:
        gc.freeze()
        _frozen = True


_frozen = False
