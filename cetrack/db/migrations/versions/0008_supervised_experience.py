"""supervised experience

`licensurepath` (the rule an associate works toward, from when, with their registration),
`supervisionrelationship` (a supervisor over dates in a setting, with the license and
supervisor credential checked on each log's dates), `supervisionlog` (a period's hours,
locked once signed; an amendment is a new log) and `signature` (who signed which log when, in
a SHA-256 chain per associate).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MOMENT = sqlmodel.sql.sqltypes.UTCDateTime


def _text(name: str, length: int, **options) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=False, **options)


def _hours(name: str) -> sa.Column:
    return sa.Column(name, sa.Float(), nullable=False)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", _MOMENT(), nullable=False),
        sa.Column("updated_at", _MOMENT(), nullable=False),
        sa.Column("deleted_at", _MOMENT(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "licensurepath",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        _text("rule_id", 64),
        sa.Column("started_on", sa.Date(), nullable=False),
        _text("registration_number", 64),
        sa.Column("registration_issued", sa.Date(), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_licensurepath_person_id", "licensurepath", ["person_id"])
    op.create_table(
        "supervisionrelationship",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("supervisor_person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column(
            "supervisor_credential_id", sa.Integer(), sa.ForeignKey("credential.id"), nullable=True
        ),
        _text("supervisor_name", 200),
        _text("supervisor_email", 254),
        _text("supervisor_license", 120),
        _text("supervisor_license_number", 64),
        sa.Column("supervisor_license_expires", sa.Date(), nullable=True),
        _text("supervisor_credential", 120),
        sa.Column("supervisor_credential_since", sa.Date(), nullable=True),
        sa.Column("supervisor_credential_until", sa.Date(), nullable=True),
        _text("setting", 200),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        *_stamps(),
    )
    op.create_index(
        "ix_supervisionrelationship_person_id", "supervisionrelationship", ["person_id"]
    )
    op.create_index(
        "ix_supervisionrelationship_supervisor_person_id",
        "supervisionrelationship",
        ["supervisor_person_id"],
    )
    op.create_table(
        "supervisionlog",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column(
            "relationship_id",
            sa.Integer(),
            sa.ForeignKey("supervisionrelationship.id"),
            nullable=False,
        ),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        *(
            _hours(name)
            for name in (
                "direct",
                "telehealth",
                "couples_family",
                "indirect",
                "individual_supervision",
                "triadic_supervision",
                "group_supervision",
            )
        ),
        sa.Column("group_size", sa.Integer(), nullable=True),
        sa.Column("video", sa.Boolean(), nullable=False),
        _text("setting", 200),
        _text("notes", 2000),
        _text("status", 16),
        _text("review_comment", 2000),
        sa.Column("reviewed_at", _MOMENT(), nullable=True),
        sa.Column("amends_id", sa.Integer(), sa.ForeignKey("supervisionlog.id"), nullable=True),
        *_stamps(),
        sa.UniqueConstraint("amends_id", name="uq_supervisionlog_amends"),
    )
    op.create_index("ix_supervisionlog_person_id", "supervisionlog", ["person_id"])
    op.create_index("ix_supervisionlog_relationship_id", "supervisionlog", ["relationship_id"])
    op.create_index("ix_supervisionlog_status", "supervisionlog", ["status"])
    op.create_index("ix_supervisionlog_person_start", "supervisionlog", ["person_id", "start"])
    op.create_table(
        "signature",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("log_id", sa.Integer(), sa.ForeignKey("supervisionlog.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("signer_person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("signed_at", _MOMENT(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        _text("content_hash", 64),
        _text("prev_hash", 64),
        _text("hash", 64),
        sa.UniqueConstraint("log_id"),
        sa.UniqueConstraint("person_id", "seq", name="uq_signature_seq"),
    )
    op.create_index("ix_signature_person_id", "signature", ["person_id"])


def downgrade() -> None:
    op.drop_table("signature")
    op.drop_table("supervisionlog")
    op.drop_table("supervisionrelationship")
    op.drop_table("licensurepath")
