"""What every page needs: the workspace, who is acting, today's date, and plain-text output."""

from __future__ import annotations

import hashlib
import re
import string
import time
from datetime import date

import streamlit as st

from cetrack.db.models import Organization, Person
from cetrack.services import accounts, compliance, people, supervision
from cetrack.services.actor import Actor
from cetrack.services.errors import Forbidden, InputError, NotFound, StaleEdit
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


def identity_provider_configured() -> bool:
    """Whether `.streamlit/secrets.toml` has an `[auth]` section, so `st.login` (OpenID
    Connect) is offered on the sign-in page."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False


def sign_out(notice: str | None = None) -> None:
    for key in ("account_id", "last_seen"):
        st.session_state.pop(key, None)
    if notice:
        st.session_state["sign_in_notice"] = notice
    if identity_provider_configured() and st.user.get("is_logged_in", False):
        st.logout()  # the provider's cookie too, or the next page view signs in again


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


def supervises_anyone(ws: Workspace) -> bool:
    """Single-user mode: whether the clinician supervises an associate (the Supervision page)."""
    person = current_person(ws)
    if person is None:
        return False
    with ws.transaction() as session:
        return bool(supervision.supervised_by(session, person.id))


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
    with ws.transaction() as session:
        return supervision.local_actor(session, person), person


def viewed_person(ws: Workspace, actor: Actor, person: Person) -> tuple[Person, bool]:
    """Whose records a read-only page shows: the `?person=` of the URL when the actor may read
    them (HR, for its organization's members), else the actor's own. Stops the page with a
    refusal for anyone else's. Returns the person and whether they are someone else."""
    asked = st.query_params.get("person")
    if asked is None or asked == str(person.id):
        return person, False
    try:
        with ws.transaction() as session:
            other = people.get_person(session, actor=actor, person_id=int(asked))
    except (ValueError, Forbidden, NotFound):
        st.error("You may not see these records.")
        st.stop()
    return other, True


def organization_for(ws: Workspace, actor: Actor, roles: set[str]) -> Organization:
    """The organization a page works on: the one where the actor holds one of `roles`, or the
    one chosen in the sidebar when there are several. Stops the page when there is none."""
    with ws.transaction() as session:
        found = accounts.organizations_where(session, actor=actor, roles=roles)
    if not found:
        st.error("This page is for an organization's " + " or ".join(sorted(roles)) + ".")
        st.stop()
    if len(found) == 1:
        return found[0]
    names = [organization.name for organization in found]
    chosen = st.sidebar.selectbox("Organization", names, key="organization")
    return found[names.index(chosen)]


def bring_up_to_date(ws: Workspace, actor: Actor, place: Organization, label: str) -> None:
    """Evaluate the organization's out-of-date results, with a progress bar."""
    bar = st.progress(0.0, label)
    with ws.transaction() as session:
        compliance.bring_up_to_date(
            session,
            actor=actor,
            organization=place,
            registry=ws.registry,
            today=today(),
            progress=lambda done, total: bar.progress(done / total, label),
        )
    bar.empty()


_MARKDOWN_SPECIALS = re.compile("([" + re.escape(string.punctuation) + "])")


def plain(text: object) -> str:
    """User text made safe for Streamlit's Markdown (titles, subheaders, toasts, notices):
    every ASCII punctuation character is backslash-escaped, which CommonMark shows literally,
    so `**bold**`, `[link](...)` and `:red[...]` appear as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def upload_of(uploaded) -> tuple[bytes, str] | None:
    """An uploaded file as the services take it: (bytes, file name), or None."""
    return (uploaded.getvalue(), uploaded.name) if uploaded is not None else None


def password_pair(key: str) -> str | None:
    """A password typed twice; None when the two differ."""
    first = st.text_input("Password (at least 12 characters)", type="password", key=f"{key}_1")
    second = st.text_input("The same password again", type="password", key=f"{key}_2")
    return first if first == second else None


def preview_of_upload(uploaded, key: str, build):
    """The preview of an uploaded file, made by `build(content)` once per file content and
    kept in the session (a rerun does not check every row again); None, with the reasons
    shown, when the file cannot be read at all."""
    content = uploaded.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    cached = st.session_state.get(key)
    if cached and cached[0] == digest:
        return cached[1]
    try:
        with st.spinner("Checking every row ..."):
            preview = build(content)
    except InputError as error:
        show_errors(error)
        return None
    st.session_state[key] = (digest, preview)
    return preview


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


def save_then_rerun(ws: Workspace, change, done: str, *, forget: str | None = None) -> None:
    """Run `change(session)` in one transaction; on success confirm `done` after the rerun
    (forgetting the form's opened version `forget`). Bad input is shown by field, and a
    refusal, a stale form or a vanished record in one sentence; nothing is then written."""
    try:
        with ws.transaction() as session:
            change(session)
    except InputError as error:
        show_errors(error)
    except (Forbidden, NotFound, StaleEdit) as error:
        st.error(plain(error))
    else:
        if forget:
            forget_version(forget)
        flash(done)
        st.rerun()


def opened_version(key: str, version: int) -> int:
    """The version a form showed when it was first drawn in this browser tab; a save sends it,
    so a save from a stale form is refused instead of overwriting a newer change."""
    return st.session_state.setdefault(f"opened_version_{key}", version)


def forget_version(key: str) -> None:
    st.session_state.pop(f"opened_version_{key}", None)
