"""Writing a new stack file safely: one onboarding at a time, all or nothing, never over an existing file.

- `fleet_lock` serialises "read the fleet, allocate a CIDR, write the file" across processes with an
  exclusive flock on stacks/.onboarding.lock. flock is tied to the open file, so a crashed process
  releases it; the lock file itself is left in place (deleting it would let two processes lock two
  different inodes).
- `write_new` writes a temp file in stacks/ (same file system), fsyncs it, then publishes it with
  link(2), which fails if the target exists: O_EXCL semantics for the final name, and readers see
  either no file or the complete one. Where hard links are not supported it falls back to a
  check-then-os.replace, which is still safe under the lock against every onboarding process.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tenantctl.onboarding.errors import Refusal

LOCK_NAME = ".onboarding.lock"
LOCK_TIMEOUT_S = 60.0
_POLL_S = 0.05
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS}


@contextmanager
def fleet_lock(stacks_dir: Path, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the onboarding lock of `stacks_dir`; a Refusal if another onboarding holds it past the timeout."""
    stacks_dir.mkdir(parents=True, exist_ok=True)
    lock_path = stacks_dir / LOCK_NAME
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                # Non-blocking attempts so a stuck holder ends in a clear message, not a hung CI job.
                if time.monotonic() >= deadline:
                    raise Refusal(
                        str(lock_path), [f"another onboarding has held the lock for over {timeout_s:.0f} s"]
                    ) from None
                time.sleep(_POLL_S)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def write_new(target: Path, text: str) -> None:
    """Create `target` with `text` atomically; a Refusal (and nothing changed) if it already exists."""
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)  # mkstemp creates 0600; a stack file is as readable as its siblings
        _publish(temp, target)
        _fsync_dir(target.parent)
    finally:
        temp.unlink(missing_ok=True)


def _publish(temp: Path, target: Path) -> None:
    try:
        os.link(temp, target)
    except FileExistsError:
        raise Refusal(str(target), ["already exists; refusing to overwrite it"]) from None
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
        if target.exists():
            raise Refusal(str(target), ["already exists; refusing to overwrite it"]) from None
        os.replace(temp, target)


def _fsync_dir(directory: Path) -> None:
    # Make the new directory entry durable, so a crash right after "onboarded" cannot lose the file.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(target: Path, data: bytes) -> None:
    """Replace the existing `target` with `data` atomically (quarantine and release): readers see the old
    file or the new one, never a mix; the caller holds `fleet_lock` so no other writer interleaves."""
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
        _fsync_dir(target.parent)
    finally:
        temp.unlink(missing_ok=True)
