"""What a user waits for in a real browser: the app opening a data set, then each page.

Starts `streamlit run app.py` on the data (the embedded store) and drives Debian's headless
Chromium through Playwright, as tests/test_e2e.py does. Prints, in seconds from the first
request: the first visible content (the progress message or a page), the first page complete
(its run finished and its title drawn) and the server's CPU seconds until then; then for every
page of the sidebar its first visit and a second visit (a page switch on opened data), and the
bytes the server sent for it; and the machine's load average. Figures, not a test.

    .venv/bin/python bench/app_open.py --firms 100000          # ~/.cache/chain-graph/bench/firms-N
    .venv/bin/python bench/app_open.py --data DIR --cold       # empty validated-tables cache first

`--cold` points CHAIN_GRAPH_CACHE at an empty folder, so the app reads and validates every file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from chain_graph.i18n import t
from loaders import load_directory

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path.home() / ".cache" / "chain-graph" / "bench"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGES = ("chain_map", "gaps", "target_map", "firms", "leads", "projects", "data", "overview")
# something the user can read in the main area: a progress message, a title, an error
SEEN = "() => [...document.querySelectorAll('[data-testid=\"stMain\"] :is(h1, [data-testid=\"stStatusWidget\"], " \
       "[data-testid=\"stExpander\"], [data-testid=\"stAlert\"], [data-testid=\"stSpinner\"])')]" \
       ".some(e => e.offsetParent !== null && e.innerText.trim())"
# the page's title drawn and nothing left over from the page before
DRAWN = "() => { const h = document.querySelector('[data-testid=\"stMain\"] h1');" \
        " return h && h.innerText.trim() && !document.querySelector('[data-stale=\"true\"]'); }"


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (user + system), from /proc: less noisy than wall time on a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    """The 1-minute load average: how busy the shared machine was (2 cores)."""
    return Path("/proc/loadavg").read_text().split()[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data: Path, cache: str | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "CHAIN_GRAPH_DATA": str(data), "CHAIN_GRAPH_STORE": "memory"}
    env.pop("CHAIN_GRAPH_PASSWORD", None)
    if cache:
        env["CHAIN_GRAPH_CACHE"] = cache
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the app did not start")


class Runs:
    """The server's script runs as the browser receives them: when each one finished, bytes sent."""

    def __init__(self) -> None:
        self.finished: list[float] = []
        self.bytes = 0

    def frame(self, payload: bytes | str) -> None:
        self.bytes += len(payload)
        if isinstance(payload, bytes) and ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished":
            self.finished.append(time.perf_counter())

    def wait(self, page: Page, done: int, timeout: float) -> float:
        """The time the run numbered `done` finished (the browser then draws it)."""
        deadline = time.perf_counter() + timeout
        while len(self.finished) < done:
            if time.perf_counter() > deadline:
                raise SystemExit("a page did not finish in time")
            page.wait_for_timeout(20)  # Playwright delivers the websocket events while it waits
        page.wait_for_function(DRAWN, polling=50)
        return self.finished[done - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, help="a set made by `chain-graph synth` under " + str(BENCH))
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--cold", action="store_true", help="an empty validated-tables cache")
    parser.add_argument("--chain", default="new_energy_battery", help="the chain the chain pages show ('' = the first)")
    parser.add_argument("--timeout", type=float, default=300, help="s to wait for one page")
    args = parser.parse_args()
    data = BENCH / f"firms-{args.firms}" if args.firms else args.data
    cache = tempfile.mkdtemp(prefix="cg-bench-cache-") if args.cold else None
    process, url = start(data.resolve(), cache)
    runs = Runs()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.set_default_timeout(args.timeout * 1000)
            page.on("websocket", lambda ws: ws.on("framereceived", runs.frame))
            print(f"data {data}{' · cold cache' if cache else ''}")
            began = time.perf_counter()
            page.goto(url)
            page.wait_for_function(SEEN, polling=50)
            seen = time.perf_counter() - began
            complete = runs.wait(page, 1, args.timeout) - began
            print(f"first visible content {seen:6.2f} s · first page complete {complete:6.2f} s · "
                  f"server CPU until then {cpu_seconds(process.pid):5.1f} s · load {load()}")

            def visit(name: str) -> tuple[float, int]:
                done, sent, began = len(runs.finished) + 1, runs.bytes, time.perf_counter()
                page.get_by_test_id("stSidebarNav").get_by_text(t(f"page.{name}", "zh"), exact=True).click()
                took = runs.wait(page, done, args.timeout) - began
                page.wait_for_timeout(300)  # a component's first value may ask for one more run
                if len(runs.finished) > done:
                    took = runs.wait(page, len(runs.finished), args.timeout) - began
                return took, runs.bytes - sent

            if args.chain:  # the pages that show one chain show this one (the choice follows the user)
                visit("gaps")
                name = next(c.name for c in load_directory(data).tables.chains if c.id == args.chain)
                box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(t("common.chain", "zh"), exact=True))
                box.click()
                box.locator("input").fill(name)
                done, began = len(runs.finished) + 1, time.perf_counter()
                page.get_by_role("option", name=re.compile("^" + re.escape(name))).first.click()
                print(f"gaps page with chain {args.chain}: {runs.wait(page, done, args.timeout) - began:6.2f} s")
                visit("overview")
            print(f"{'page':<12}{'first visit':>12}{'second':>9}{'sent':>10}")
            for name in PAGES:
                first, sent = visit(name)
                visit("overview" if name == "data" else "data")
                second, _ = visit(name)
                print(f"{name:<12}{first:>10.2f} s{second:>7.2f} s{sent / 1024:>7.0f} KB")
            print(f"load {load()} at the end")
            browser.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        if cache:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
