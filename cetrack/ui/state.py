"""What every page needs: the workspace, who is acting, today's date, and plain-text output."""

from __future__ import annotations

import re
import string
import time
from datetime import date

import streamlit as st

from cetrack.db.models import Person
from cetrack.services import accounts, people
from cetrack.services.actor import Actor
from cetrack.services.workspace import Workspace, open_workspace
from cetrack.settings import Settings


@st.cache_resource(show_spinner="Opening the database ...")
def _workspace(database_url: str, data_dir: str, rules_dir: str) -> Workspace:
    return open_workspace(
        Settings(database_url=database_url, data_dir=data_dir, rules_dir=rules_dir or None)
    )


def workspace() -> Workspace:
    """The workspace for the current settings (migrations run on first use)."""
    settings = Settings()
    return _workspace(
        settings.resolved_database_url, str(settings.data_dir), str(settings.rules_dir or "")
    )


def today() -> date:
    """Today, unless pinned (by a test in the session state, or by CETRACK_TODAY)."""
    return st.session_state.get("today") or Settings().current_date()


def accounts_on(ws: Workspace) -> bool:
    """Whether this database has accounts (then every page needs a signed-in one)."""
    with ws.transaction() as session:
        return accounts.accounts_enabled(session)


def sign_out(notice: str | None = None) -> None:
    for key in ("account_id", "last_seen"):
        st.session_state.pop(key, None)
    if notice:
        st.session_state["sign_in_notice"] = notice


def signed_in_actor(ws: Workspace) -> Actor | None:
    """The signed-in account's actor, read afresh on every page view (a deactivated account
    is signed out at once); a session idle longer than the timeout is signed out."""
    account_id = st.session_state.get("account_id")
    if account_id is None:
        return None
    now = time.monotonic()
    idle_limit = Settings().session_minutes * 60
    if now - st.session_state.get("last_seen", now) > idle_limit:
        sign_out("Your session timed out: sign in again.")
        return None
    with ws.transaction() as session:
        actor = accounts.actor_for(session, account_id)
    if actor is None:
        sign_out("Your account is no longer active.")
        return None
    st.session_state["last_seen"] = now
    return actor


def current_person(ws: Workspace) -> Person | None:
    """Whose records the pages show: the signed-in account's person, or in single-user mode
    the clinician of this database."""
    if accounts_on(ws):
        actor = signed_in_actor(ws)
        if actor is None:
            return None
        with ws.transaction() as session:
            return people.get_person(session, actor=actor, person_id=actor.person_id)
    with ws.transaction() as session:
        return people.first_person(session)


def require_actor(ws: Workspace) -> tuple[Actor, Person]:
    """The acting person and their record; stops the page when nobody may act."""
    if accounts_on(ws):
        actor = signed_in_actor(ws)
        if actor is None:
            st.info("Sign in to see this page.")
            st.stop()
        with ws.transaction() as session:
            return actor, people.get_person(session, actor=actor, person_id=actor.person_id)
    person = current_person(ws)
    if person is None:
        st.info("No clinician yet: open the Welcome page to load the demo or start clean.")
        st.stop()
    return Actor.local(person), person


_MARKDOWN_SPECIALS = re.compile("([" + re.escape(string.punctuation) + "])")


def plain(text: object) -> str:
    """User text made safe for Streamlit's Markdown (titles, subheaders, toasts, notices):
    every ASCII punctuation character is backslash-escaped, which CommonMark shows literally,
    so `**bold**`, `[link](...)` and `:red[...]` appear as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def upload_of(uploaded) -> tuple[bytes, str] | None:
    """An uploaded file as the services take it: (bytes, file name), or None."""
    return (uploaded.getvalue(), uploaded.name) if uploaded is not None else None


def flash(message: str) -> None:
    """A confirmation shown after the next rerun, as plain text."""
    st.session_state["flash"] = plain(message)


def show_flash() -> None:
    message = st.session_state.pop("flash", None)
    if message:
        st.toast(message)


def show_errors(error) -> None:
    """An InputError's messages, one per field."""
    for field, message in error.errors.items():
        st.error(f"{field.replace('_', ' ').capitalize()}: {plain(message)}")


def opened_version(key: str, version: int) -> int:
    """The version a form showed when it was first drawn in this browser tab; a save sends it,
    so a save from a stale form is refused instead of overwriting a newer change."""
    return st.session_state.setdefault(f"opened_version_{key}", version)


def forget_version(key: str) -> None:
    st.session_state.pop(f"opened_version_{key}", None)
