"""A pre-imported policy-pack interpreter that forks one pack process per stack (gate fleets only).

Run by path with the interpreter that would run the pack (`python -u pack_zygote.py <pack dir>
<control fd> [--warm module:function]`), it changes into the pack folder, imports what every pack
process imports (the Pulumi SDK, gRPC, pulumi_policy, and with --warm the pack's own rules), creates
no gRPC object and no thread, and then waits. For each request on its control socket (the
environment the CLI would give the pack, its folder, plus the pack's stdout and stderr as passed file
descriptors) it forks a child that changes into that folder and becomes exactly `python -u -m
pulumi.policy <engine> .` there: same module, same argv, same environment, same working directory,
the same `sys.path[0]`; only the interpreter start and the imports were paid once, before. The child's pid
goes back on the socket; the gate kills it when the stack is done.

Why: a pack process spends ~0.5-1 CPU-s importing before it serves; a fleet of 100 tenants starts
~133 of them, and a regulated tenant two (tenantctl.pack_processes shares one zygote between
them). The answers cannot differ from a spawned pack's (tests/tenantctl/test_pack_zygote.py
compares both), and tenantctl falls back to spawning when the zygote cannot be used.

Only the standard library is imported before the pack folder is on sys.path, because this file runs
under the pack's interpreter, where tenantctl need not be installed.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import runpy
import signal
import socket
import sys

MAX_FDS = 2
MAX_MESSAGE = 1 << 20


def _warm(specs: list[str]) -> None:
    # The imports are the point: a forked pack finds them in sys.modules.
    import pulumi.runtime
    import pulumi_policy

    del pulumi, pulumi_policy

    for spec in specs:
        module_name, _, function = spec.partition(":")
        module = importlib.import_module(module_name)
        if function:
            getattr(module, function)()


def _become_pack(request: dict, fds: list[int]) -> None:
    """In the forked child: turn into `python -u -m pulumi.policy <engine> .` and never return."""
    code = 1
    try:
        os.setsid()
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in fds:
            os.close(fd)
        # -u: unbuffered binary stdio, as the CLI starts packs (the port line must arrive at once).
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True)
        os.environ.clear()
        os.environ.update(request["env"])
        # A zygote shared by pack folders without modules of their own started in the first of them.
        os.chdir(request["cwd"])
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        sys.argv = ["-m", request["engine"], "."]
        runpy.run_module("pulumi.policy", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # noqa: BLE001 - the child must never return into the zygote's loop
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _reap(_signum: int, _frame: object) -> None:
    # Reaped here (not auto-reaped with SIG_IGN), a pack's CPU time adds to the zygote's children and,
    # once the gate waits for the zygote, to the gate's: resource accounting sees the whole tree.
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def serve(control: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, _reap)
    while True:
        message, fds, _flags, _addr = socket.recv_fds(control, MAX_MESSAGE, MAX_FDS)
        if not message:
            return  # the gate closed its end: this worker is done
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            control.close()
            _become_pack(request, fds)
        for fd in fds:
            os.close(fd)
        control.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def main() -> None:
    pack_dir, control_fd, *rest = sys.argv[1:]
    warm = [rest[i + 1] for i, arg in enumerate(rest) if arg == "--warm"]
    os.chdir(pack_dir)
    sys.path[0] = ""  # what `python -m` puts first: the working directory, i.e. the pack folder
    control = socket.socket(fileno=int(control_fd))
    _warm(warm)
    control.sendall(b'{"ready": true}\n')
    serve(control)


if __name__ == "__main__":
    main()
