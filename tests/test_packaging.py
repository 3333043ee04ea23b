"""`pip install .` gives a working chain-graph: a wheel built from the checkout, installed into a
fresh virtualenv outside it, answers from another directory — the CLI and the app (`serve`).

The wheel's dependencies are resolved against requirements.txt (the pinned lock), so a dependency
missing from pyproject.toml fails here, as it would for a user.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv holding only the wheel and what its metadata asks for."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(base / "dist"), str(ROOT)],
                   check=True, capture_output=True, cwd=base)
    wheel = next((base / "dist").glob("chain_graph-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True)
    pip = [str(base / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-c", str(ROOT / "requirements.txt"), str(wheel)], check=True, capture_output=True)
    return base


def test_the_wheel_holds_the_app_and_its_data_files(installed):
    wheel = next((installed / "dist").glob("chain_graph-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("chain_graph_app/web/main.py", "chain_graph_app/web/streamlit_app.py",
                   "chain_graph_app/web/overview.py", "chain_graph_app/cli/__init__.py",
                   "loaders/platform_headers.yaml", "chain_graph/store/neo4j.py"):
        assert needed in names, f"{needed} is not in the wheel"
    assert not any(n.startswith(("tests/", "app.py", "data/")) for n in names)


def test_installed_cli_answers_from_another_directory(installed, tmp_path):
    data = tmp_path / "copy"
    shutil.copytree(ROOT / "data", data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run([str(installed / "venv" / "bin" / "chain-graph"), "--data", str(data), "chains",
                          "--format", "json"], cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    chains = json.loads(run.stdout)
    assert len(chains) == 9 and chains[1]["name"] == "新能源和新能源电池"


def test_installed_serve_answers_its_health_check(installed, tmp_path):
    data = tmp_path / "copy"
    shutil.copytree(ROOT / "data", data)
    port = free_port()
    server = subprocess.Popen([str(installed / "venv" / "bin" / "chain-graph"), "--data", str(data), "serve",
                               "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, answer = time.monotonic() + 90, ""
        while time.monotonic() < deadline and not answer:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    answer = response.read().decode()
            except OSError:
                assert server.poll() is None, server.stdout.read().decode(errors="replace")
                time.sleep(0.5)
        assert answer == "ok"
    finally:
        server.terminate()
        server.wait(timeout=30)
    with pytest.raises(OSError):  # stopping `serve` stopped the server: nothing is left answering
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
