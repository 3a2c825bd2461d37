"""When Python's cyclic garbage collector runs while stacks are checked.

Why this exists: a check allocates in bursts (the provider SDKs' classes and type hints as they load,
then every Output, future and task of the program's registrations), and each burst triggers
collections that walk everything alive, most of it module objects that will never be garbage. That was
about a tenth of a one-stack check's wall time (bench/RESULTS.md). A check makes little cyclic garbage,
so the collector is paused while one stack is checked; between stacks, a fleet collects once, and after
its first stack freezes what survived (modules, classes), so no later collection walks it again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block; the collector's previous state after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle() -> None:
    """Between two stacks: free the last one's cycles; the first time, also freeze what survived.

    Only once: by then the modules are loaded, and what a later stack leaves alive is that stack's
    (the SDK's runtime state, the last program's objects), which the next stack drops. Frozen, it could
    never be collected, and a worker's memory would grow by it with every stack.
    """
    global _frozen
    gc.collect()
    if not _frozen:
        gc.freeze()
        _frozen = True


_frozen = False
