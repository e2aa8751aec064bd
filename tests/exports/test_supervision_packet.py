"""The supervised-experience verification packet: the manifest's SHA-256 of every file, every
live log in the CSV, the stored chain in chain.json (each link recomputable from the file
alone) and a form that names the supervisor, their license, credential and signature dates."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime

import pandas as pd
from pypdf import PdfReader

from cetrack.db.models import Signature
from cetrack.hashing import moment_text, sha256_of
from cetrack.importers.supervision_csv import parse_supervision_csv
from cetrack.services import signoff, supervision_logs, supervision_reports
from cetrack.wording import reason_text
from tests.services.helpers import TODAY
from tests.services.test_supervision_reports import REGISTRATION, history, signed_at


def packet(session, workspace, item) -> dict[str, bytes]:
    data = supervision_reports.packet_bytes(
        session,
        workspace,
        actor=item.setup.associate_actor(session),
        person=item.associate,
        path=item.path,
        today=TODAY,
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_manifest_lists_every_other_file_with_its_size_and_sha256(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        files = packet(session, workspace, item)
        assert packet(session, workspace, item) == files  # the same records, the same bytes
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["generated"] == TODAY.isoformat()
    assert manifest["person"] == {"name": item.associate.name, "email": item.associate.email}
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files) == {"summary.pdf", "logs.csv", "chain.json"}
    for path, data in files.items():
        assert listed[path]["size"] == len(data)
        assert listed[path]["sha256"] == hashlib.sha256(data).hexdigest()


def test_the_csv_has_every_live_log_and_imports_back(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        files = packet(session, workspace, item)
        stored = supervision_logs.list_logs(
            session, actor=item.setup.associate_actor(session), person=item.associate
        )
    table = pd.read_csv(
        io.BytesIO(files["logs.csv"]), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert sorted(map(int, table["id"])) == sorted(log.id for log in stored)
    rows = {int(row["id"]): row for row in table.to_dict("records")}
    week0, week1, pending = item.logs[0], item.logs[1], item.logs[3]
    assert (rows[week0.id]["group_size"], rows[week0.id]["group_supervision"]) == ("4", "3.0")
    assert rows[week0.id]["signed_at"] == moment_text(signed_at(week0))
    assert rows[week0.id]["signer"] == "Sam Supervisor"
    assert rows[week1.id]["superseded"] == "yes"
    assert rows[item.amendment.id]["amends_id"] == str(week1.id)
    assert (rows[pending.id]["status"], rows[pending.id]["signed_at"]) == ("pending", "")
    report = parse_supervision_csv(files["logs.csv"], relationship_id=1, today=TODAY)
    # every log reads back; only the amendment and the log it replaced cover the same days
    assert len(report.ready) == len(stored) - 1
    assert [row.errors["start"] for row in report.rejected] == [
        f"overlaps line {sorted(table['start']).index(week1.start.isoformat()) + 2} of the file"
    ]


def test_chain_json_is_the_stored_chain_and_recomputes(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        files = packet(session, workspace, item)
        stored = signoff.signatures_of(
            session, actor=item.setup.associate_actor(session), person=item.associate
        )
    chain = json.loads(files["chain.json"])
    assert [entry["seq"] for entry in chain] == [1, 2, 3, 4, 5]
    assert chain == [
        {
            "seq": row.seq,
            "log_id": row.log_id,
            "person_id": row.person_id,
            "signer_person_id": row.signer_person_id,
            "signed_at": moment_text(row.signed_at),
            "content": row.content,
            "content_hash": row.content_hash,
            "prev_hash": row.prev_hash,
            "hash": row.hash,
        }
        for row in stored
    ]
    previous = signoff.GENESIS
    for entry in chain:
        assert sha256_of(entry["content"]) == entry["content_hash"]
        assert entry["prev_hash"] == previous
        moment = datetime.fromisoformat(entry["signed_at"])
        assert signoff.link_hash(Signature(**{**entry, "signed_at": moment})) == entry["hash"]
        previous = entry["hash"]


def test_the_form_names_the_supervisor_license_credential_signatures_and_reasons(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        files = packet(session, workspace, item)
        result = supervision_reports.experience.progress(
            session,
            actor=item.setup.associate_actor(session),
            path=item.path,
            registry=workspace.registry,
            today=TODAY,
        )
    pages = PdfReader(io.BytesIO(files["summary.pdf"])).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    first, last = signed_at(item.logs[0]).date(), "2026-04-01"  # the amendment is signed last
    for words in (
        "Supervised experience verification",
        f"{item.associate.name} <{item.associate.email}>",
        "TX/LPC",
        f"Registration number {REGISTRATION}",
        "Sam Supervisor",
        "TX LPC, LPC 1234",
        "LPC-S",
        "Riverside Clinic",
        f"5 signed, first {first}, last {last}",
        "Supervisor's signature",
        "Direct client contact",
        "Group supervision",
        "Months of supervised experience",
    ):
        assert words in text, words
    reasons = {reason_text(reason) for log in result.logs for reason in log.reasons}
    assert {"not signed by the supervisor"} < reasons
    assert any("share of supervision hours" in reason for reason in reasons)
    assert any("the period does not count" in reason for reason in reasons)
    for reason in reasons:
        assert reason in text, reason
    for requirement in result.requirements:
        assert requirement.title in text
