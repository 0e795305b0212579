"""Whether a database file lies on a network file system, where SQLite's WAL mode is unsafe.

SQLite's write-ahead log relies on shared memory and POSIX locks that network file systems
(NFS, SMB/CIFS, and the FUSE mounts of sync clients) do not provide reliably; see
https://www.sqlite.org/wal.html ("WAL does not work over a network filesystem") and
https://www.sqlite.org/useovernet.html. A team shares a PostgreSQL server instead.

Detection: Linux reads /proc/self/mountinfo (cheap, no import), Windows asks GetDriveTypeW and
treats UNC paths as remote, macOS asks psutil (imported there only). Elsewhere nothing is known.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# File system types that are network or remote-sync mounts (Linux names, macOS names).
NETWORK_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "afpfs",
        "9p", "ceph", "glusterfs", "lustre", "gpfs", "davfs", "webdav", "sshfs",
        "fuse.sshfs", "fuse.rclone", "fuse.gvfsd-fuse", "fuse.davfs", "fuse.s3fs",
        "fuse.gcsfuse", "fuse.onedriver", "fuse.glusterfs", "fuse.cephfs",
    }
)  # fmt: skip


def network_filesystem(path: Path) -> str | None:
    """The network file system type ``path`` (or its nearest existing parent) lies on, e.g.
    "nfs4" or "cifs", or None when it is local or the platform cannot tell."""
    try:
        path = _existing(Path(path).absolute())
        if sys.platform.startswith("linux"):
            return _linux_type(path, Path("/proc/self/mountinfo"))
        if sys.platform == "win32":
            return _windows_type(path)
        if sys.platform == "darwin":
            return _psutil_type(path)
    except OSError:
        return None
    return None


def _existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _linux_type(path: Path, mountinfo: Path) -> str | None:
    """The type of the mount holding ``path``, from a mountinfo table (proc(5))."""
    real = os.path.realpath(path)
    best, best_type = "", ""
    for line in mountinfo.read_text(encoding="utf-8", errors="replace").splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right:
            continue
        mount = _unescape(fields[4])
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, best_type = mount, right.split()[0]
    return best_type if best_type in NETWORK_TYPES else None


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in octal (\\040 ...)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def _windows_type(path: Path) -> str | None:  # pragma: no cover - Windows only
    text = str(path)
    if text.startswith("\\\\") and not text.startswith("\\\\?\\"):
        return "smb"
    import ctypes

    drive_remote = 4
    root = os.path.splitdrive(text)[0] + "\\"
    kind = ctypes.windll.kernel32.GetDriveTypeW(root)  # type: ignore[attr-defined]
    return "smb" if kind == drive_remote else None


def _psutil_type(path: Path) -> str | None:  # pragma: no cover - macOS only
    import psutil

    real = os.path.realpath(path)
    best, best_type = "", ""
    for part in psutil.disk_partitions(all=True):
        mount = part.mountpoint
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, best_type = mount, part.fstype
    return best_type if best_type in NETWORK_TYPES else None
