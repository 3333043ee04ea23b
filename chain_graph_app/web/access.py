"""Sign-in before anything else: OIDC through st.login when secrets.toml has an [auth] section,
otherwise a shared password when CHAIN_GRAPH_PASSWORD is set (environment or secrets.toml)."""

from __future__ import annotations

import hmac
import os

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
            if not user:
                st.error(tr("access.user_needed"))
            elif hmac.compare_digest(entered.encode(), expected.encode()):
                st.session_state["signed_in"], st.session_state["user_name"] = True, user
                st.rerun()
            else:
                st.error(tr("access.wrong_password"))
    st.stop()
