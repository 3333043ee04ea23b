"""The first app page renders real content (Streamlit AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def test_gap_page_shows_statuses_and_targets(app):
    metrics = {m.label: m.value for m in app.metric}
    assert set(metrics) >= {"缺链", "在建补链", "弱链", "强链", "本地供应率"}
    assert int(metrics["缺链"]) > 0
    links, targets = app.dataframe[0].value, app.dataframe[1].value
    assert "缺链" in set(links["状态"])
    assert len(targets) > 0 and list(targets["排名"])[:3] == [1, 2, 3]
    assert [b.proto.label for b in app.get("download_button")] == ["下载 Excel", "下载 CSV"]


def test_weights_move_the_ranking(app):
    before = list(app.dataframe[1].value["企业名称"])
    for slider in app.sidebar.slider:
        slider.set_value(0.0)
    app.sidebar.slider[3].set_value(1.0)  # proximity only
    app.run()
    after = app.dataframe[1].value
    assert not app.exception
    assert list(after["企业名称"]) != before
    assert set(after["得分"]) <= {0.0, 60.0, 100.0}


def test_english_switch(app):
    app.sidebar.radio[0].set_value("English").run()
    assert not app.exception
    assert {"missing", "pipeline", "weak", "strong"} <= {m.label for m in app.metric}
    assert "rank" in app.dataframe[1].value.columns


def test_after_the_pipeline_lands_has_no_pipeline_links(app):
    app.toggle[0].set_value(True).run()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["在建补链"] == "0"
