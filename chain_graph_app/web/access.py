"""Sign-in before anything else: OIDC through st.login when secrets.toml has an [auth] section,
otherwise a shared password when CHAIN_GRAPH_PASSWORD is set (environment or secrets.toml).

Wrong passwords slow down: after FREE_TRIES in a row, per browser session and per client
address alike, each further try must wait twice as long as the one before (up to MAX_WAIT
seconds), and every wrong try is logged with the address. The password is compared as SHA-256
digests with hmac.compare_digest, in a time that does not depend on how much of it is right.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
import time

import streamlit as st

from chain_graph_app.web.common import tr


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except FileNotFoundError:  # no secrets.toml at all, or one that does not parse
        return None


def require_sign_in() -> None:
    """Return when the user may see the app; otherwise draw the sign-in and stop the run."""
    if _secret("auth"):
        _oidc()
    elif password := os.environ.get("CHAIN_GRAPH_PASSWORD") or _secret("CHAIN_GRAPH_PASSWORD"):
        _password(str(password))


def current_user() -> str:
    """Who is signed in, for the history of what they change: the OIDC e-mail, or the name given at the
    password gate; without sign-in, the name typed on the page (or "not signed in")."""
    if st.user.get("is_logged_in"):
        return str(st.user.get("email") or st.user.get("name") or "")
    return st.session_state.get("user_name") or tr("app_leads.anonymous")


def _oidc() -> None:
    if st.user.get("is_logged_in"):
        st.sidebar.button(tr("access.sign_out"), on_click=st.logout, icon=":material/logout:")
        return
    st.title(tr("access.chain_graph_please_sign"))
    st.button(tr("access.sign_in_with_your"), on_click=st.login, type="primary")
    st.stop()


FREE_TRIES = 3
MAX_WAIT = 300.0
log = logging.getLogger("chain_graph.access")


class Throttle:
    """Failed sign-ins per key (a session, an address): when the next try is allowed."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key → (failures in a row, next try allowed at)

    def wait(self, *keys: str) -> float:
        """Seconds until any of `keys` may try again (0 when they may now)."""
        now = self._clock()
        with self._lock:
            return max([0.0, *(self._failures.get(k, (0, now))[1] - now for k in keys)])

    def failed(self, *keys: str) -> int:
        """Count a wrong password against every key; the most failures in a row of any of them."""
        now, worst = self._clock(), 0
        with self._lock:
            for key in keys:
                n = self._failures.get(key, (0, now))[0] + 1
                delay = 0.0 if n < FREE_TRIES else min(MAX_WAIT, 2.0 ** (n - FREE_TRIES))
                self._failures[key] = (n, now + delay)
                worst = max(worst, n)
        return worst

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


THROTTLE = Throttle()  # process-wide: an address is throttled across all its sessions


def same_password(entered: str, expected: str) -> bool:
    """Compare digests of equal length, so the time taken tells nothing about the password."""
    return hmac.compare_digest(hashlib.sha256(entered.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def _keys() -> tuple[str, str]:
    session = st.session_state.setdefault("sign_in.id", os.urandom(8).hex())
    address = getattr(st.context, "ip_address", None) or "unknown"
    return f"session:{session}", f"address:{address}"


def _password(expected: str) -> None:
    if st.session_state.get("signed_in"):
        if st.sidebar.button(tr("access.sign_out"), icon=":material/logout:"):
            del st.session_state["signed_in"]
            st.session_state.pop("user_name", None)
            st.rerun()
        return
    st.title(tr("access.chain_graph_please_sign"))
    with st.form("sign_in"):
        user = st.text_input(tr("access.user_name"), key="sign_in.user").strip()
        entered = st.text_input(tr("access.password"), type="password")
        if st.form_submit_button(tr("access.sign_in"), type="primary"):
            keys = _keys()
            wait = THROTTLE.wait(*keys)
            if wait > 0:
                st.error(tr("signin.wait", seconds=int(wait + 0.999)))
            elif not user:
                st.error(tr("access.user_needed"))
            elif same_password(entered, expected):
                THROTTLE.succeeded(*keys)
                st.session_state["signed_in"], st.session_state["user_name"] = True, user
                st.rerun()
            else:
                failures = THROTTLE.failed(*keys)
                log.warning("wrong password from %s (%d in a row)", keys[1].removeprefix("address:"), failures)
                st.error(tr("access.wrong_password"))
    st.stop()
