"""Sign-in slow-down: wrong passwords wait longer and longer, per session and per address, and are logged."""

from __future__ import annotations

import logging
from pathlib import Path

from streamlit.testing.v1 import AppTest

from chain_graph_app.web import access
from chain_graph_app.web.access import FREE_TRIES, MAX_WAIT, Throttle, same_password

APP = str(Path(__file__).resolve().parent.parent / "app.py")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_tries_wait_longer_and_longer_per_key():
    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(FREE_TRIES - 1):
        throttle.failed("session:a", "address:x")
        assert throttle.wait("session:a", "address:x") == 0
    waits = []
    for _ in range(4):
        throttle.failed("session:a", "address:x")
        waits.append(throttle.wait("session:a", "address:x"))
        clock.now += waits[-1]
    assert waits == [1, 2, 4, 8]
    assert throttle.wait("session:new", "address:y") == 0


def test_a_new_session_from_the_same_address_waits_too_and_the_wait_is_capped():
    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(40):
        throttle.failed("session:a", "address:x")
    assert throttle.wait("session:fresh", "address:x") == MAX_WAIT
    throttle.succeeded("session:a", "address:x")
    assert throttle.wait("session:fresh", "address:x") == 0


def test_passwords_compare_by_digest():
    assert same_password("s3cret", "s3cret")
    assert not same_password("s3cre", "s3cret") and not same_password("", "s3cret")


def test_the_sign_in_page_slows_down_and_logs(monkeypatch, caplog):
    monkeypatch.setenv("CHAIN_GRAPH_PASSWORD", "s3cret")
    clock = Clock()
    monkeypatch.setattr(access, "THROTTLE", Throttle(clock))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="sign_in.user").input("张三")
    with caplog.at_level(logging.WARNING, logger="chain_graph.access"):
        for _ in range(FREE_TRIES):
            at.text_input[1].input("wrong")
            at.button[0].click().run()
            assert at.error[0].value == "密码不正确。"
    assert len([r for r in caplog.records if "wrong password" in r.getMessage()]) == FREE_TRIES
    at.text_input[1].input("s3cret")  # right, but too soon
    at.button[0].click().run()
    assert "请 1 秒后再试" in at.error[0].value and not at.dataframe
    clock.now += 1
    at.text_input[1].input("s3cret")
    at.button[0].click().run()
    assert not at.exception and at.dataframe
