"""The opened data, shared by every session and opened once per version of the data files.

Opening runs in a thread of its own (a Job), so a rerun, a closed tab or a second visitor never
starts it again or cuts it short; each session that arrives while it runs shows the stages it has
reached (service/opening.py announces them) and waits. The version of the files is their names,
sizes and modification times (a few stat calls a run): when a file changes on disk — an import
from the command line, a copy — the next run opens the data afresh; `forget()` does it at once
after the app itself wrote. Only the standard library and Streamlit at module level: the frame
shows its first message before the heavy modules are imported.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from chain_graph.i18n import Message, text

from .language import lang, tr

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"
RETRY_S = 2.0
WARM_AFTER_S = 1.0  # the background answers start this long after the first page was drawn
# while they are computed, the interpreter lock changes hands every millisecond (Python's default is 5 ms):
# a page's thread that waited on the network would otherwise wait up to 5 ms for each step it takes
WARM_SWITCH_S = 0.001  # a store that could not be reached is tried again on a run this much later
# what the loader reads (loaders.directory: region, settings, chains, the tables in either format)
_FILES = ("region.yaml", "analysis.yaml", "chains/*.yaml", "firms.*", "firm_links.*", "supplies.*", "projects.*")


def stamp(data: Path) -> tuple:
    """The version of the data files as the file system tells it, without reading them."""
    found = []
    for pattern in _FILES:
        for path in sorted(data.glob(pattern)):
            info = path.stat()
            found.append((str(path.relative_to(data)), info.st_size, info.st_mtime_ns))
    return tuple(found)


@dataclass(eq=False)
class Job:
    """One opening of the data (service.opening.open_data) in a thread; its stages as they start."""

    data: Path
    url: str
    stamp: tuple
    stages: list[Message] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    opened: object = None  # service.opening.Opened once done
    error: BaseException | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float = 0.0
    warming: bool = False
    _warming: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "Job":
        threading.Thread(target=self._run, name="chain-graph-open", daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            from chain_graph_app.service.opening import open_data

            self.opened = open_data(self.data, self.url, self.stages.append)
        except BaseException as err:  # raised again in every session that waits for it
            self.error = err
        finally:
            self.finished = time.monotonic()
            self.done.set()

    def warm(self, work: Callable[[object], None]) -> None:
        """Run `work(opened)` once in a background thread (answers every session will ask for), WARM_AFTER_S
        after a page was drawn: Python threads share one interpreter lock, so work started at once would hold
        up the end of that very run by seconds. A failure there is logged; the pages compute it themselves."""
        with self._warming:
            if self.warming or self.result().store is None:
                return
            self.warming = True
        timer = threading.Timer(WARM_AFTER_S, self._warm, args=(work,))
        timer.name, timer.daemon = "chain-graph-warm", True
        timer.start()

    def _warm(self, work: Callable[[object], None]) -> None:
        interval = sys.getswitchinterval()
        sys.setswitchinterval(WARM_SWITCH_S)  # the pages' threads get the interpreter back sooner meanwhile
        try:
            work(self.opened)
        except Exception:
            logging.getLogger(__name__).exception("warming the answers of %s failed", self.data)
        finally:
            sys.setswitchinterval(interval)

    def result(self):
        """The Opened (service.opening); what went wrong in the thread is raised here, in the session."""
        if self.error is not None:
            raise self.error
        return self.opened

    def stale(self, stamp: tuple) -> bool:
        if stamp != self.stamp:
            return True
        failure = self.done.is_set() and self.opened is not None and self.opened.failure is not None
        return failure and time.monotonic() - self.finished > RETRY_S


class Shelf:
    """The current Job per (data directory, store), thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[tuple[str, str], Job] = {}

    def job(self, data: Path, url: str) -> Job:
        """The opening of the data as it is now on disk: the running or finished one, or a new one."""
        now = stamp(data)
        with self._lock:
            job = self._jobs.get((str(data), url))
            if job is None or job.stale(now):
                job = self._jobs[(str(data), url)] = Job(data, url, now).start()
            return job

    def forget(self) -> None:
        with self._lock:
            self._jobs.clear()


SHELF = Shelf()


def data_dir() -> Path:
    return Path(os.environ.get("CHAIN_GRAPH_DATA", str(DEFAULT_DATA)))


def store_url() -> str:
    return os.environ.get("CHAIN_GRAPH_STORE", "memory")


def opening() -> Job:
    """The opening of the data as it is on disk now: started once per data version, shared by every session."""
    return SHELF.job(data_dir(), store_url())


def starting(box) -> None:
    """On the first run of the server process, say so in `box` (an st.empty) before the heavy modules
    load, which takes a few seconds (later runs find them loaded and show nothing); the chart library
    the first page draws with is imported meanwhile in a thread of its own."""
    if "chain_graph_app.web.common" not in sys.modules:
        box.status(tr("open.title"), expanded=True).write(tr("open.starting"))
        threading.Thread(target=importlib.import_module, args=("altair",), name="chain-graph-preload",
                         daemon=True).start()


def wait(job: Job, box, summarise: Callable[[], None]) -> None:
    """Show the opening's stages in `box` until it is done, then `summarise` (fills the caches of the
    first page, once per data version)."""
    language, shown = lang(), 0
    status = box.status(tr("open.title"), expanded=True)
    while True:
        finished = job.done.wait(0.1)
        for stage in job.stages[shown:]:
            status.write(text(stage, language))
        shown = len(job.stages)
        if finished:
            break
    if job.result().store is not None:
        status.write(tr("open.summaries"))
        summarise()
        st.toast(tr("open.done", seconds=f"{time.monotonic() - job.started:.1f}"), icon=":material/check_circle:")
    box.empty()

