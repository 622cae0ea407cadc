"""Swapping the live warehouse: nothing of it is lost when the swap fails."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb
import pytest

from orchestration import warehouse


def _live_with_uncheckpointed_commit(path: Path) -> None:
    with duckdb.connect(str(path)) as db:
        db.execute("create table t as select 1 as x")
        db.execute("checkpoint")
        db.execute("pragma disable_checkpoint_on_shutdown")
        db.execute("insert into t values (2)")  # only in the write-ahead log


def _rows(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as db:
        return db.execute("select count(*) from t").fetchone()[0]


def test_the_staged_copy_holds_the_uncheckpointed_commits_and_is_its_owners_only(tmp_path):
    live, work = tmp_path / "warehouse.duckdb", tmp_path / "work"
    _live_with_uncheckpointed_commit(live)
    for path in (live, Path(f"{live}.wal")):
        path.chmod(0o644)  # as an older version, or a user's umask, left it
    work.mkdir()
    copy, _ = warehouse.stage_copy(live, work)
    assert _rows(copy) == 2
    assert {stat.S_IMODE(path.stat().st_mode) for path in (copy, Path(f"{copy}.wal"))} == {0o600}


def test_a_swap_that_fails_keeps_the_live_warehouse_and_its_log(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    _live_with_uncheckpointed_commit(live)
    assert Path(f"{live}.wal").exists()
    with pytest.raises(FileNotFoundError):
        warehouse.swap_in(tmp_path / "no_such_copy.duckdb", live)
    assert _rows(live) == 2, "the commit in the log is still there"


def test_a_swap_replaces_the_live_warehouse_and_drops_its_old_log(tmp_path):
    live, copy = tmp_path / "warehouse.duckdb", tmp_path / "copy.duckdb"
    _live_with_uncheckpointed_commit(live)
    with duckdb.connect(str(copy)) as db:
        db.execute("create table t as select * from range(5) as r(x)")
    warehouse.swap_in(copy, live)
    assert _rows(live) == 5 and not Path(f"{live}.wal").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


@pytest.mark.parametrize("swapped", [False, True])
def test_the_log_a_killed_swap_moved_aside_is_settled_by_the_next_run(tmp_path, swapped):
    live = tmp_path / "warehouse.duckdb"
    _live_with_uncheckpointed_commit(live)
    Path(f"{live}.wal").rename(f"{live}.wal.replaced")  # where a kill inside swap_in leaves it
    warehouse.settle_replaced_wal(live, swapped)
    assert not Path(f"{live}.wal.replaced").exists()
    assert _rows(live) == (1 if swapped else 2), "put back unless the new warehouse is live"
