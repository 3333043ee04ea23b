"""What every page shares: the data (opened once per data version for every session, shelf.py), the language, and the few widgets
whose choice follows the user from page to page (chain, "after the pipeline lands")."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial

import pandas as pd
import streamlit as st

from chain_graph_app.web.language import lang, tr
from chain_graph_app.web.reads import Reads, forget_answers, warm
from chain_graph_app.web.shelf import SHELF, Job, data_dir, opening, store_url, wait
from chain_graph.i18n import percent as format_percent, t, text, yi
from chain_graph.output import export, rows
from chain_graph.output.workbook import Heading, file_name
from chain_graph.analysis.gaps import ChainGaps
from chain_graph.settings import AnalysisSettings, Weights
from chain_graph.model import Chain
from chain_graph.store import is_server
from chain_graph_app.service.leads import LeadBook
from chain_graph_app.service.opening import Opened
from chain_graph_app.service.loading import load_data

PAGE_ROWS = 100  # rows of a long table sent to the browser at a time (paged)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# CommonMark lets a backslash escape any ASCII punctuation; Streamlit adds :directives: and $math$.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=\"'&])")
# the score weights of the sidebar, in order; their labels are the catalogue's weight.<name>
WEIGHTS = ("scale", "tags", "ties", "proximity", "evidence", "leader", "size", "paid_in", "age", "listed")
# 1366×768 laptops: less blank space above the page and smaller metric figures, so a page's answer
# is on the first screen. Static CSS only; no user data goes into it.
COMPACT_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
[data-testid="stMetricValue"] { font-size: 1.6rem; }
h1 { font-size: 2rem !important; padding-top: 0 !important; }
</style>"""


def compact_style() -> None:
    st.html(COMPACT_STYLE)


def md(text: object) -> str:
    """User text made inert for st.markdown and headings: shown as typed, never as markup or a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def summarise() -> None:
    """The first page's answers, computed while the progress message still shows (then cached per version)."""
    data = reads()
    data.chains(), data.links(), data.projects(), data.overview(False)


def warm_up(job: Job) -> None:
    """After the page: every chain's workbench answers computed in the background (reads.warm), once per version."""
    job.warm(lambda result: warm(Reads(result.store, result.settings)))


def opened() -> Opened:
    """The shared store, or a page that explains why there is none (and stops). The frame (main.py)
    has shown the opening's progress already; a page run on its own waits here with the same message."""
    job = opening()
    if not job.done.is_set():
        wait(job, st.empty(), summarise)
    result = job.result()
    if result.store is None:
        st.error(text(result.failure, lang()) or tr("common.the_data_in_data", data_dir=data_dir()))
        if result.errors:
            table(rows.problem_sheet(result.errors, lang()), "")
        st.stop()
    return result


def lead_book() -> LeadBook:
    """The leads of the data directory on the shared store; the embedded store's copy follows leads.json."""
    return LeadBook.open(data_dir(), opened().store, store_url())


def reads() -> Reads:
    result = opened()
    return Reads(result.store, result.settings)


def data_written() -> None:
    """The data directory changed: a Neo4j graph is reloaded from it (one atomic switch), and the
    opened store and every cached answer are forgotten, so the next run reads the data afresh."""
    if is_server(store_url()):
        load_data(data_dir(), opened().store)
    SHELF.forget()
    forget_answers()


def _kept(name: str, default):
    return st.session_state.get(f"kept.{name}", default)


def _keep(name: str, value):
    """Widget state is dropped on a page that does not draw the widget; this copy is not."""
    st.session_state[f"kept.{name}"] = value
    return value


def chain_label(chain: Chain, language: str) -> str:
    return chain.name if language == "zh" else (chain.name_en or chain.name)


def keep_chain(chain_id: str) -> None:
    """Make `chain_id` the chain the next chain page opens on (the search box's link hits)."""
    _keep("chain", chain_id)


def pick_chain(chains: list[Chain]) -> Chain:
    ids, language = [c.id for c in chains], lang()
    chosen = _kept("chain", ids[0])
    chain = st.selectbox(tr("common.chain"), chains, index=ids.index(chosen) if chosen in ids else 0,
                         format_func=lambda c: chain_label(c, language), key="chain")
    return chains[ids.index(_keep("chain", chain.id))]


def landed_toggle() -> bool:
    value = st.toggle(tr("common.after_the_pipeline_lands"), value=_kept("landed", False), key="landed",
                      help=tr("common.count_signed_and_building"))
    return _keep("landed", value)


def chain_view(data: Reads, title: str) -> tuple[Chain, bool, ChainGaps]:
    """A chain page's head: its title, the chain picked and the landed toggle, and that view's gaps."""
    st.title(title)
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        chain = pick_chain(data.chains())
    with right:
        landed = landed_toggle()
    return chain, landed, data.gaps(chain.id, landed)


def weight_sliders(settings: AnalysisSettings) -> AnalysisSettings:
    """The score weights in the sidebar, starting from the data's analysis.yaml; the ranking follows them."""
    with st.sidebar:
        st.subheader(tr("common.score_weights"))
        chosen = kept_weights(settings).weights
        values = {name: st.slider(tr(f"weight.{name}"), 0.0, 1.0, getattr(chosen, name), 0.05, key=f"weight.{name}")
                  for name in WEIGHTS}
        if st.button(tr("common.default_weights"), icon=":material/restart_alt:"):
            for name in WEIGHTS:
                del st.session_state[f"weight.{name}"]
            st.session_state.pop("kept.weights", None)
            st.rerun()
    _keep("weights", values)
    return settings.model_copy(update={"weights": Weights(**values)})


def kept_weights(settings: AnalysisSettings) -> AnalysisSettings:
    """`settings` with the weights last set on the gap workbench, so every page ranks alike."""
    values = _kept("weights", None)
    return settings if values is None else settings.model_copy(update={"weights": Weights(**values)})


def investment_metric(column, label: str, total: float | None, unknown: int, help: str) -> None:
    """A total in 亿元 (rules.known_sum) as a metric: the known sum as the figure and how many projects have no
    amount under it in grey — never 0 for unknown, and short enough that neither is cut on a 1366 px screen."""
    column.metric(label, yi(total, lang()), help=help, delta_color="off", delta_arrow="off",
                  delta=t("amount.without", lang(), n=unknown) if unknown else None)


def shown(rows: list[dict], percent: tuple[str, ...] = ()) -> pd.DataFrame:
    """Sheet rows for the screen: shares as percent text, and unknown as the one marker, never None or blank."""
    frame = pd.DataFrame(rows)
    for column in percent:
        frame[column] = [format_percent(v, lang()) for v in frame[column]]
    unknown = frame.isna()
    return frame.astype(object).mask(unknown, t("word.na", lang())) if unknown.any().any() else frame


def table(rows: list[dict], empty: str, percent: tuple[str, ...] = (), **options) -> None:
    """Sheet rows as a table, or a short note when there are none (an empty frame has no headers to show)."""
    if rows:
        st.dataframe(shown(rows, percent), width="stretch", hide_index=True, **options)
    else:
        st.caption(empty)


def downloads(rows: list[dict] | Callable[[], list[dict]], made: tuple[Heading, bytes] | Callable[[], tuple[Heading, bytes]],
              key: str, name: Heading | None = None) -> None:
    """The leader-ready workbook (deliverables.py) and a CSV of the same table, both named in Chinese with the date.
    Given as callables (and `name`, the heading that names the files), both are built only when their button is
    clicked: the workbook of a chain's 9,000 targets at 100k firms takes seconds, too long for every rerun."""
    if callable(made):
        workbook = partial(_second, made)
    else:
        name, workbook = made
    table = rows if callable(rows) else partial(list, rows)
    left, right = st.columns(2)
    left.download_button(tr("common.download_excel"), workbook, file_name(name), XLSX_MIME,
                         key=f"{key}-xlsx", on_click="ignore", icon=":material/download:")
    right.download_button(tr("common.download_csv"), partial(_csv, table), file_name(name, ".csv"), "text/csv",
                          key=f"{key}-csv", on_click="ignore", icon=":material/download:")


def _second(made: Callable[[], tuple[Heading, bytes]]) -> bytes:
    return made()[1]


def _csv(rows: Callable[[], list[dict]]) -> bytes:
    return export.csv_bytes(pd.DataFrame(rows()))


def paged(items: Sequence, key: str) -> Sequence:
    """One page of a long list (PAGE_ROWS at a time) with a page picker above its table: the browser is sent
    a page of rows, never a chain's thousands, and only that page's rows are worded. Pages hand the slice to
    the table and to its row selection alike."""
    if len(items) <= PAGE_ROWS:
        return items
    pages = -(-len(items) // PAGE_ROWS)
    number = st.number_input(tr("common.page", pages=pages, rows=len(items), size=PAGE_ROWS), min_value=1,
                             max_value=pages, value=1, step=1, key=f"{key}.page")
    start = (int(number) - 1) * PAGE_ROWS
    return items[start:start + PAGE_ROWS]
