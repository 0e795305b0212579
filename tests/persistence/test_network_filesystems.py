"""An SQLite database on a network file system is refused before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.persistence import filesystems
from app.persistence.database import open_database
from app.persistence.errors import DatabaseUnavailable

MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
40 27 0:50 / /mnt/team rw,relatime - nfs4 fs.example:/export rw,vers=4.2
41 40 0:51 / /mnt/team/local\\040copy rw,relatime - ext4 /dev/sdb1 rw
42 27 0:52 / /home/ann/Sync rw,nosuid - fuse.rclone remote: rw
43 27 0:53 / /srv/smb rw - cifs //nas/share rw
"""


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "mountinfo"
    path.write_text(MOUNTINFO)
    return path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/team/ai-rmf.sqlite3", "nfs4"),
        ("/mnt/team", "nfs4"),
        ("/mnt/teamwork/a.sqlite3", None),  # a name that only starts like the mount
        ("/mnt/team/local copy/a.sqlite3", None),  # a local disk mounted inside the share
        ("/home/ann/Sync/ai.sqlite3", "fuse.rclone"),
        ("/srv/smb/x/y.sqlite3", "cifs"),
        ("/home/ann/ai.sqlite3", None),
    ],
)
def test_mount_table_lookup(table: Path, path: str, expected: str | None) -> None:
    assert filesystems._linux_type(Path(path), table) == expected


def test_local_temporary_folder_is_not_remote(tmp_path: Path) -> None:
    assert filesystems.network_filesystem(tmp_path / "new" / "db.sqlite3") is None


def test_database_on_a_network_share_is_refused(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("app.persistence.database.network_filesystem", lambda _p: "nfs4")
    path = tmp_path / "share" / "ai-rmf.sqlite3"
    with pytest.raises(DatabaseUnavailable) as raised:
        open_database(f"sqlite:///{path}", sqlite_path=path)
    message = str(raised.value)
    assert str(path) in message and "network file system (nfs4)" in message
    assert "Team mode" in message
    assert not path.exists() and not path.parent.exists()  # nothing was created
