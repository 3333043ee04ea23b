"""The chain map on the page: a small two-way Streamlit component (st.components.v2) around the SVG
that chain_graph/output/mapdraw.py draws, so a click on a link comes back to Python.

pyvis draws into an iframe that cannot send a click back, and the maintained graph components on
PyPI either load their scripts from a CDN or lay the graph out themselves (no stage columns); the
SVG is ours already (the PNG/SVG downloads are the same drawing), so the component is a few lines of
plain JavaScript: zoom, fit, full screen, and a trigger value with the clicked link's id. It lives
in the page's own DOM (no iframe), needs no build step and fetches nothing.
"""

from __future__ import annotations

import streamlit as st

from chain_graph.output.mapdraw import SMALLEST_FONT

MIN_TEXT_PX = 12  # the default view never draws any text smaller than this; the user may zoom out
MAX_SCALE = 1.6  # on a wide screen the map grows to the page width, up to this

CSS = """
.cg-map { width: 100%; }
.cg-map .cg-tools { display: flex; gap: .4rem; margin-bottom: .3rem; }
.cg-map .cg-tools button { font-size: 14px; padding: 2px 10px; border: 1px solid #bbb; border-radius: 6px;
  background: #fff; cursor: pointer; }
.cg-map .cg-tools button:hover { background: #f0f2f6; }
.cg-map .cg-view { width: 100%; overflow: auto; max-height: 78vh; background: #fff; }
.cg-map:fullscreen .cg-view { max-height: calc(100vh - 3rem); }
.cg-map g.node { cursor: pointer; }
.cg-map g.node:hover rect:first-of-type, .cg-map g.node:focus rect:first-of-type { stroke-width: 4; }
.cg-map g.node:focus { outline: none; }
"""

JS = """
export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  let root = parentElement.querySelector(':scope > .cg-map');
  if (!root) {
    root = document.createElement('div');
    root.className = 'cg-map';
    parentElement.appendChild(root);
  }
  root.replaceChildren();
  const tools = document.createElement('div');
  tools.className = 'cg-tools';
  const view = document.createElement('div');
  view.className = 'cg-view';
  root.append(tools, view);
  // The SVG is made on the server by mapdraw.svg, which escapes every name it prints.
  view.innerHTML = data.svg;
  const svg = view.querySelector('svg');
  let zoom = null;  // null: the default view, as wide as the page allows with labels >= min size
  const fitted = () => Math.min(data.max_scale, Math.max(data.min_scale, view.clientWidth / data.width));
  const apply = () => {
    const scale = zoom ?? fitted();
    svg.setAttribute('width', (data.width * scale).toFixed(0));
    svg.setAttribute('height', (data.height * scale).toFixed(0));
    root.dataset.scale = scale.toFixed(3);
  };
  const button = (label, title, act) => {
    const b = document.createElement('button');
    b.type = 'button'; b.textContent = label; b.title = title; b.setAttribute('aria-label', title);
    b.addEventListener('click', () => { act(); apply(); });
    tools.appendChild(b);
  };
  const current = () => zoom ?? fitted();
  button('＋', data.labels.zoom_in, () => { zoom = Math.min(4, current() * 1.25); });
  button('－', data.labels.zoom_out, () => { zoom = Math.max(0.2, current() / 1.25); });
  button(data.labels.fit, data.labels.fit, () => { zoom = view.clientWidth / data.width; });
  button(data.labels.reset, data.labels.reset, () => { zoom = null; });
  button(data.labels.fullscreen, data.labels.fullscreen, () => {
    if (document.fullscreenElement) { document.exitFullscreen(); } else { root.requestFullscreen(); }
  });
  svg.querySelectorAll('g.node').forEach((node) => {
    const open = () => setTriggerValue('clicked', node.dataset.id);
    node.addEventListener('click', open);
    node.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
  });
  apply();
  const observer = new ResizeObserver(() => { if (zoom === null) apply(); });
  observer.observe(view);
  return () => observer.disconnect();
}
"""

_mount = st.components.v2.component("chain_graph.chain_map", css=CSS, js=JS, isolate_styles=False)


def chain_map_view(svg: str, width: float, height: float, labels: dict[str, str], key: str) -> str | None:
    """Show the map; the id of the link the user just clicked, on the run that click started."""
    result = _mount(data={"svg": svg, "width": width, "height": height, "labels": labels,
                          "min_scale": MIN_TEXT_PX / SMALLEST_FONT, "max_scale": MAX_SCALE},
                    key=key, on_clicked_change=lambda: None)
    return getattr(result, "clicked", None)
