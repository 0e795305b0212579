"""Install (or remove) the Linux desktop integration for the current user: menu entry, AppStream
metadata and icons, in the XDG data directory.

Usage: ``python packaging/install_desktop.py [--exec PATH] [--uninstall]``
(``make install-desktop`` / ``make uninstall-desktop``).

Writes, under ``$XDG_DATA_HOME`` (default ``~/.local/share``, XDG Base Directory spec):

- ``applications/<APP_ID>.desktop`` with ``Exec``/``TryExec`` set to ``--exec`` (an absolute
  path: the window of the checkout's .venv, of an installed wheel, or of a bundle);
- ``metainfo/<APP_ID>.metainfo.xml``;
- ``icons/hicolor/<size>/apps/<APP_ID>.png`` and ``icons/hicolor/scalable/apps/<APP_ID>.svg``.

Each file is written atomically; ``--uninstall`` removes exactly these files. Afterwards the menu
and icon caches are refreshed when ``update-desktop-database`` / ``gtk-update-icon-cache`` exist
(their absence is not an error: desktops also rescan on their own). Exit status 0, or 2 with
one message for a bad ``--exec``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
APP_ID = "io.github.airmf_assessor.AIRMFAssessor"
DESKTOP = HERE / "linux" / f"{APP_ID}.desktop"
METAINFO = HERE / "linux" / f"{APP_ID}.metainfo.xml"
ICONS = REPO / "resources" / "icons" / "hicolor"


def data_home() -> Path:
    """``$XDG_DATA_HOME`` if set to an absolute path (the spec ignores a relative one), else
    ``~/.local/share``."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


def desktop_quote(path: str) -> str:
    """``path`` as one argument of a desktop entry's Exec key (Desktop Entry spec, "The Exec
    key"): quoted when it has reserved characters, with ``"`` `` ` `` ``$`` ``\\`` escaped, and
    the result escaped again as a string value (backslashes doubled); ``%`` is doubled."""
    path = path.replace("%", "%%")
    if any(c in path for c in " \t\n\"'\\><~|&;$*?#()`"):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in path)
        path = f'"{inner}"'
    return path.replace("\\", "\\\\")


def desktop_entry(executable: str) -> str:
    """The shipped .desktop file with Exec and TryExec pointing at ``executable``."""
    out = []
    for line in DESKTOP.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={desktop_quote(executable)}"
        elif line.startswith("TryExec="):
            # TryExec is a plain path, not a command line: only the string escapes apply.
            line = "TryExec=" + executable.replace("\\", "\\\\")
        out.append(line)
    return "\n".join(out) + "\n"


def targets(root: Path) -> dict[Path, Path | None]:
    """Installed path -> shipped source (None: the generated .desktop file)."""
    files: dict[Path, Path | None] = {
        root / "applications" / f"{APP_ID}.desktop": None,
        root / "metainfo" / f"{APP_ID}.metainfo.xml": METAINFO,
    }
    for icon in sorted(ICONS.glob(f"*/apps/{APP_ID}.*")):
        files[root / "icons" / "hicolor" / icon.relative_to(ICONS)] = icon
    return files


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _refresh_caches(root: Path) -> None:
    for command in (
        ["update-desktop-database", "-q", str(root / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", "-f", str(root / "icons" / "hicolor")],
    ):
        if shutil.which(command[0]):
            subprocess.run(command, check=False, capture_output=True)


def install(executable: str, root: Path) -> list[Path]:
    """Write every file (see the module docstring); returns the paths written."""
    written = []
    for path, source in targets(root).items():
        data = desktop_entry(executable).encode() if source is None else source.read_bytes()
        _write(path, data)
        written.append(path)
    _refresh_caches(root)
    return written


def uninstall(root: Path) -> list[Path]:
    """Remove the files ``install`` writes (and nothing else); returns those removed."""
    removed = []
    for path in targets(root):
        if path.is_file():
            path.unlink()
            removed.append(path)
    _refresh_caches(root)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--exec",
        dest="executable",
        default=str(REPO / ".venv" / "bin" / "airmf-gui"),
        help="absolute path of the airmf-gui program (default: %(default)s)",
    )
    parser.add_argument("--uninstall", action="store_true", help="remove the installed files")
    args = parser.parse_args(argv)
    root = data_home()
    if args.uninstall:
        for path in uninstall(root):
            print(f"removed {path}")
        return 0
    executable = os.path.abspath(args.executable)
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        print(f"install_desktop: {executable} is not an executable file", file=sys.stderr)
        return 2
    for path in install(executable, root):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
