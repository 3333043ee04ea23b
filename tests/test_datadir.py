"""One writer at a time in a data directory, and a commit all at once: real processes, real kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from loaders import load_directory
from loaders.datadir import STATE, DataDirWriter
from tests.test_import import ELECTROLYTE, NICKEL, SEPARATOR, STANDARD, firm, make_dir, table, write
from tests.conftest import code

CLI = [sys.executable, "-c", "from chain_graph_app.cli import run; run()"]


def run_cli(root: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "--data", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})


def firm_ids(root: Path) -> set[str]:
    return {r["id"] for r in table(root, "firms.csv")}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / STATE).iterdir() if p.suffix != ".lock")


def test_two_imports_at_once_both_keep_their_firms(tmp_path):
    root = make_dir(tmp_path / "data")
    a = write(tmp_path / "a.csv", STANDARD[:2])
    b = write(tmp_path / "b.csv", [firm(code(n, "440300"), f"某某电解液{n}有限公司", "电解液生产") for n in range(300, 305)])
    with DataDirWriter(root):  # both start while the directory is held, so they really meet
        procs = [run_cli(root, "import", str(path)) for path in (a, b)]
        time.sleep(3)
    results = [(p.wait(60), p.stderr.read()) for p in procs]
    assert [code_ for code_, _ in results] == [0, 0], results
    assert {ELECTROLYTE, SEPARATOR} | {code(n, "440300") for n in range(300, 305)} <= firm_ids(root)
    assert load_directory(root).ok and leftovers(root) == []


def test_a_writer_held_too_long_is_refused_in_one_line(tmp_path):
    root = make_dir(tmp_path / "data")
    before = (root / "firms.csv").read_bytes()
    path = write(tmp_path / "a.csv", STANDARD[:1])
    with DataDirWriter(root, purpose="test holder"):
        proc = run_cli(root, "import", str(path), env={"CHAIN_GRAPH_LOCK_WAIT": "1"})
        code_, err = proc.wait(60), proc.stderr.read()
    assert code_ == 2 and err.strip().count("\n") == 0, err
    assert "正有另一个写入" in err and "test holder" in err and "Traceback" not in err
    assert (root / "firms.csv").read_bytes() == before


KILL_AT_MOVE = """
import os, signal, sys
from loaders import datadir
real, calls, kill_at = os.replace, [], int(sys.argv[1])
def replace(src, dst):
    calls.append(dst)
    if len(calls) == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
datadir.os.replace = replace
sys.argv = ["chain-graph", *sys.argv[2:]]
from chain_graph_app.cli import run
run()
"""


def _import_killed_at(root: Path, path: Path, call: int) -> None:
    proc = subprocess.run([sys.executable, "-c", KILL_AT_MOVE, str(call), "--data", str(root), "import", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def test_a_kill_between_the_file_moves_leaves_the_new_version_for_the_next_reader(tmp_path):
    root = make_dir(tmp_path / "data")
    path = write(tmp_path / "a.csv", STANDARD)
    _import_killed_at(root, path, 3)  # 1: the journal, 2: firms.csv, 3: firm_links.csv
    assert ELECTROLYTE in firm_ids(root) and "import:a.csv" not in (root / "firm_links.csv").read_text("utf-8")
    validate = run_cli(root, "validate")
    assert validate.wait(60) == 0, validate.stderr.read()
    assert ELECTROLYTE in firm_ids(root) and "import:a.csv" in (root / "firm_links.csv").read_text("utf-8")
    assert leftovers(root) == []


def test_a_kill_before_the_commit_point_leaves_the_old_version_and_no_stage(tmp_path):
    root = make_dir(tmp_path / "data")
    before = {name: (root / name).read_bytes() for name in ("firms.csv", "firm_links.csv")}
    _import_killed_at(root, write(tmp_path / "a.csv", STANDARD), 1)
    assert leftovers(root)  # the dead import's stage
    validate = run_cli(root, "validate")
    assert validate.wait(60) == 0, validate.stderr.read()
    assert {name: (root / name).read_bytes() for name in before} == before
    assert leftovers(root) == []


def test_readers_wait_for_a_commit_and_see_it_whole(tmp_path):
    root = make_dir(tmp_path / "data")
    seen: list[set[str]] = []

    def read() -> None:
        for _ in range(40):
            ds = load_directory(root).dataset
            seen.append({f.id for f in ds.firms} if ds else {"invalid"})

    reader = threading.Thread(target=read)
    reader.start()
    for n in range(5):
        with DataDirWriter(root) as tx:
            tx.write("firms.csv", (root / "firms.csv").read_bytes() + f"{code(400 + n)},新企业{n},在业,甘肃省,金昌市,\n".encode())
            tx.write("firm_links.csv", (root / "firm_links.csv").read_bytes()
                     + f"{code(400 + n)},ncm_cell,,年报,manual\n".encode())
    reader.join()
    assert "invalid" not in set().union(*seen)
    assert len(firm_ids(root)) == 6 and NICKEL not in firm_ids(root)
