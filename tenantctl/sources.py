"""Where in the project's own code something happened: a resource's construction, a crash.

Which frames count: files under the project directory, except tenantctl itself (the recorder runs the
program from inside the project when the project is this repository) and installed packages (the
Pulumi SDK, providers, the standard library). Frames are kept nearest first.

Resources: the Pulumi SDK sends each registration's call stack (`RegisterResourceRequest.stackTrace`,
topmost frame first, starting at the code that called the resource's constructor; `sourcePosition`
is its first frame). A resource created inside a component has, nearest first, the line in the
component that constructs it, then the lines that constructed the components around it, ending at
the line of the project's `__main__.py` that created the outermost one; the frames below that (runpy,
tenantctl) are cut off. Reports use the nearest frame as the resource's place and the last one, the
`__main__.py` line, as a related place.
"""

from __future__ import annotations

import functools
import re
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from tenantctl.model import SourceLine

PROGRAM_FILE = "__main__.py"
_TENANTCTL_DIR = Path(__file__).resolve().parent
_INSTALLED = ("site-packages", "dist-packages")
# `  File "/path/x.py", line 12, in f` in a Python traceback printed by another process.
_TRACEBACK_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')
# The last line of a printed traceback: `ValueError: message` (a dotted name for module exceptions).
_EXCEPTION_LINE = re.compile(r"^(?P<type>[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)?)(: |$)")


@functools.lru_cache(maxsize=4096)
def project_path(filename: str, project_dir: Path, cwd: Path | None = None) -> str | None:
    """`filename` relative to the project (forward slashes) when it is the project's own code.

    A relative `filename` is relative to `cwd`, the working directory of the process that printed it.
    Cached: a program's registrations share most of their frames, and resolving paths costs syscalls.
    """
    if not filename or filename.startswith("<"):
        return None
    path = Path(filename)
    if not path.is_absolute():
        path = (cwd or project_dir) / path
    try:
        resolved = path.resolve()
        relative = resolved.relative_to(project_dir.resolve())
    except (OSError, ValueError):
        return None
    if resolved.is_relative_to(_TENANTCTL_DIR) or set(relative.parts) & set(_INSTALLED):
        return None
    if relative.parts and relative.parts[0].startswith("."):  # .venv, .tox and friends
        return None
    return relative.as_posix()


@functools.lru_cache(maxsize=4096)
def _from_uri(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def _program_frames(
    frames: Iterable[tuple[str, int]], project_dir: Path, cwd: Path | None = None
) -> tuple[SourceLine, ...]:
    kept: list[SourceLine] = []
    for filename, line in frames:
        relative = project_path(filename, project_dir, cwd)
        if relative is None or line <= 0:
            continue
        kept.append(SourceLine(relative, line))
        if relative == PROGRAM_FILE:
            break  # below the program: runpy and tenantctl
    return tuple(kept)


def registration_source(request: Any, project_dir: Path) -> tuple[SourceLine, ...]:
    """The project frames of a RegisterResourceRequest, nearest first."""
    frames = [(_from_uri(f.pc.uri), int(f.pc.line)) for f in request.stackTrace.frames if f.HasField("pc")]
    if not frames and request.HasField("sourcePosition"):
        frames = [(_from_uri(request.sourcePosition.uri), int(request.sourcePosition.line))]
    return _program_frames(frames, project_dir)


def exception_source(error: BaseException, project_dir: Path) -> SourceLine | None:
    """The deepest project frame of the exception that started it all (causes first)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for exc in reversed(chain):  # the original cause first
        frames = [(f.filename, f.lineno or 0) for f in traceback.extract_tb(exc.__traceback__)]
        found = _program_frames(reversed(frames), project_dir)
        if found:
            return found[0]
    return None


def original_exception(error: BaseException) -> BaseException:
    """The first exception of a chain: what the program raised before the SDK wrapped it."""
    seen: list[BaseException] = [error]
    while (nxt := seen[-1].__cause__ or seen[-1].__context__) is not None and nxt not in seen:
        seen.append(nxt)
    return seen[-1]


def summarize_traceback(
    text: str, project_dir: Path, cwd: Path | None = None
) -> tuple[str, SourceLine | None]:
    """From a traceback another process (working in `cwd`) printed: `Type: message` and the deepest
    project frame.

    (text, None) when the text holds no traceback: it is then shown as it is.
    """
    lines = text.strip().splitlines()
    frames = [
        (m["file"], int(m["line"])) for m in (_TRACEBACK_FRAME.match(line) for line in lines) if m is not None
    ]
    if not frames:
        return text.strip(), None
    last_frame_at = max(i for i, line in enumerate(lines) if _TRACEBACK_FRAME.match(line))
    exception = ""
    for line in lines[last_frame_at + 1 :]:
        if not line.startswith((" ", "\t")) and _EXCEPTION_LINE.match(line):
            exception = line.strip()
    found = _program_frames(reversed(frames), project_dir, cwd)
    return (exception or lines[-1].strip()), (found[0] if found else None)
