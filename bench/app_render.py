"""Page render time on the shipped data: how long each page's script run takes (Streamlit AppTest).

Prints the cold start (the first page with the data opened into the embedded store, once per
process), then for every page the first visit (its reads not cached yet) and the median of later
visits (a page switch on loaded data), in ms. Browser drawing time is not included.

    .venv/bin/python bench/app_render.py [--repeat 5] [--data DIR | --firms 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

from chain_graph_app.web.main import PAGES as APP_PAGES

ROOT = Path(__file__).resolve().parent.parent
PAGES = tuple(script.removesuffix(".py") for script, _, _ in APP_PAGES)
CHAIN = "new_energy_battery"


def timed(run) -> float:
    start = time.perf_counter()
    at = run()
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception[0].value}")
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--firms", type=int, help="a set made by `chain-graph synth` under ~/.cache/chain-graph/bench")
    args = parser.parse_args()
    if args.firms:
        args.data = Path.home() / ".cache" / "chain-graph" / "bench" / f"firms-{args.firms}"
    os.environ["CHAIN_GRAPH_DATA"] = str(args.data.resolve())
    set_log_level("error")  # AppTest's bare-mode warnings

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["kept.chain"] = CHAIN
    print(f"data {args.data} · chain {CHAIN}")
    print(f"cold start (open data + overview): {timed(at.run):8.0f} ms")
    visits: dict[str, list[float]] = {page: [] for page in PAGES}
    for _ in range(args.repeat + 1):
        for page in PAGES:
            visits[page].append(timed(lambda: at.switch_page(f"chain_graph_app/web/{page}.py").run()))
    print(f"{'page':<12}{'first visit':>14}{'later (median)':>17}")
    for page, times in visits.items():
        print(f"{page:<12}{times[0]:>11.0f} ms{statistics.median(times[1:]):>14.0f} ms")


if __name__ == "__main__":
    main()
