"""How the gate starts a pack process: forked from a warm zygote when it can, spawned otherwise.

`start(python, pack_dir, engine_address, env)` gives a `PackProcess` with the pack's stdout and stderr
(binary streams) and `kill()`. Spawning runs `python -u -m pulumi.policy <engine> .` in the pack
folder, exactly as the Pulumi CLI does. Within a worker that checks several stacks, the same command
is forked from a zygote (tenantctl/pack_zygote.py) that paid the interpreter start and imports once;
`TENANTCTL_PACK_ZYGOTE=0` turns that off. A zygote that cannot start or answer is dropped and the
pack is spawned: both give the same pack, so the fallback costs time, never a verdict.

Pack folders that hold nothing importable besides their `__main__.py` (this repository's source
folders) resolve every import from the interpreter's own path, the same way from any such folder, so
they share one zygote per interpreter and warm-up: a regulated tenant's two packs pay the imports
once. A folder with modules of its own (a built pack vendors `mlops_policies/`) gets a zygote of its
own, started in it.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.machinery
import json
import multiprocessing.util
import os
import signal
import socket
import subprocess
import threading
from pathlib import Path
from typing import IO, Protocol

ZYGOTE_SCRIPT = Path(__file__).with_name("pack_zygote.py")
READY_TIMEOUT_S = 60
# The packs of this repository import their rules from mlops_policies; warming them in the zygote is
# what makes a forked pack cheap. Packs that do not mention it are warmed with the SDK only.
WARM = {"mlops_policies": "mlops_policies.packs:all_rules"}


class PackProcess(Protocol):
    stdout: IO[bytes]
    stderr: IO[bytes]

    def kill(self) -> None:
        """Kill the pack and everything it started; safe to call twice."""

    def close(self) -> None:
        """Close our ends of its stdout and stderr."""


class _Spawned:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        assert process.stdout is not None and process.stderr is not None
        self.stdout, self.stderr = process.stdout, process.stderr

    def kill(self) -> None:
        self._process.kill()
        self._process.wait()

    def close(self) -> None:
        self.stdout.close()
        self.stderr.close()


class _Forked:
    def __init__(self, pid: int, stdout: IO[bytes], stderr: IO[bytes]) -> None:
        self.pid, self.stdout, self.stderr = pid, stdout, stderr

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)  # the child made itself a session (and group) leader

    def close(self) -> None:
        self.stdout.close()
        self.stderr.close()


class ZygoteUnavailable(Exception):
    pass


def warm_specs(pack_dir: Path) -> tuple[str, ...]:
    main_source = pack_dir / "__main__.py"
    text = main_source.read_text(encoding="utf-8") if main_source.is_file() else ""
    return tuple(warm for marker, warm in WARM.items() if marker in text)


def imports_like_any_folder(pack_dir: Path) -> bool:
    """Nothing importable in the folder but `__main__.py`: no other module, no package directory."""
    suffixes = tuple(importlib.machinery.all_suffixes())
    for entry in pack_dir.iterdir():
        if entry.name in {"__main__.py", "__pycache__"}:
            continue
        if entry.is_dir() or entry.name.endswith(suffixes):
            return False
    return True


class Zygote:
    """One warm interpreter for one python and warm-up (and pack folder, unless shared); forks packs."""

    def __init__(self, python: str, pack_dir: Path) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        command = [python, "-u", str(ZYGOTE_SCRIPT), str(pack_dir), str(theirs.fileno())]
        for warm in warm_specs(pack_dir):
            command += ["--warm", warm]
        self._lock = threading.Lock()
        self._socket = ours
        self._reader = ours.makefile("rb")
        self._process = subprocess.Popen(
            command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        theirs.close()
        ours.settimeout(READY_TIMEOUT_S)
        try:
            ready = self._reader.readline()
        except OSError:
            ready = b""
        if not ready.startswith(b'{"ready"'):
            self.close()
            raise ZygoteUnavailable(f"the pack zygote for {pack_dir.name} did not start")

    def fork(self, engine_address: str, env: dict[str, str], pack_dir: Path) -> _Forked:
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        try:
            with self._lock:
                request = {"engine": engine_address, "env": env, "cwd": str(pack_dir.resolve())}
                message = json.dumps(request).encode()
                socket.send_fds(self._socket, [message], [out_write, err_write])
                answer = self._reader.readline()
        except OSError as err:
            for fd in (out_read, err_read):
                os.close(fd)
            raise ZygoteUnavailable(str(err)) from None
        finally:
            os.close(out_write)
            os.close(err_write)
        if not answer:
            os.close(out_read)
            os.close(err_read)
            raise ZygoteUnavailable("the pack zygote exited")
        pid = int(json.loads(answer)["pid"])
        return _Forked(pid, os.fdopen(out_read, "rb", buffering=0), os.fdopen(err_read, "rb", buffering=0))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._socket.close()
        with contextlib.suppress(OSError):
            self._process.kill()
        self._process.wait()


_ZYGOTES: dict[tuple[str, tuple[str, ...], Path | None], Zygote | None] = {}
_ZYGOTES_LOCK = threading.Lock()


def _key(python: str, pack_dir: Path) -> tuple[str, tuple[str, ...], Path | None]:
    return (python, warm_specs(pack_dir), None if imports_like_any_folder(pack_dir) else pack_dir.resolve())


def _zygote(python: str, pack_dir: Path) -> Zygote | None:
    key = _key(python, pack_dir)
    with _ZYGOTES_LOCK:
        if not _ZYGOTES:
            _close_at_exit()
        if key not in _ZYGOTES:
            try:
                _ZYGOTES[key] = Zygote(python, pack_dir)
            except (OSError, ZygoteUnavailable):
                _ZYGOTES[key] = None  # spawn from now on
        return _ZYGOTES[key]


def _close_at_exit() -> None:
    """Kill and wait for this process's zygotes when it exits (the CLI, or a fleet worker, whose
    multiprocessing exit skips atexit): no zygote outlives its gate, and waiting for it adds its CPU
    time, and that of the packs it forked and reaped, to the gate's own resource usage."""
    atexit.register(close_zygotes)
    multiprocessing.util.Finalize(None, close_zygotes, exitpriority=10)


def close_zygotes() -> None:
    with _ZYGOTES_LOCK:
        for zygote in _ZYGOTES.values():
            if zygote is not None:
                zygote.close()
        _ZYGOTES.clear()


def zygotes_enabled() -> bool:
    return os.environ.get("TENANTCTL_PACK_ZYGOTE", "1") != "0" and hasattr(socket, "send_fds")


def start(python: str, pack_dir: Path, engine_address: str, env: dict[str, str], warm: bool) -> PackProcess:
    """Start the pack in `pack_dir` as the CLI would; `warm`: fork it from this worker's zygote."""
    if warm and zygotes_enabled():
        zygote = _zygote(python, pack_dir)
        if zygote is not None:
            try:
                return zygote.fork(engine_address, env, pack_dir)
            except ZygoteUnavailable:
                with _ZYGOTES_LOCK:
                    _ZYGOTES[_key(python, pack_dir)] = None
                zygote.close()
    process = subprocess.Popen(
        [python, "-u", "-m", "pulumi.policy", engine_address, "."],
        cwd=pack_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return _Spawned(process)
