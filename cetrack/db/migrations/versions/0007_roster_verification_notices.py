"""roster, primary-source verification and notices

`invite` (a one-time set-password link: only the SHA-256 of its token is kept, with when it
expires and when it was used), `verification` (HR's look-up of a license at its board, never
edited: a newer one supersedes it), `notice` (an email cetrack sent, keyed so a rerun sends
nothing twice) and the organization's re-verification interval.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MOMENT = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("organization") as table:
        table.add_column(
            sa.Column("reverify_days", sa.Integer(), nullable=False, server_default="365")
        )
    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _MOMENT(), nullable=False),
        sa.Column("expires_at", _MOMENT(), nullable=False),
        sa.Column("used_at", _MOMENT(), nullable=True),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_invite_account_id", "invite", ["account_id"])
    op.create_table(
        "verification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("credential_id", sa.Integer(), sa.ForeignKey("credential.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column(
            "organization_id", sa.Integer(), sa.ForeignKey("organization.id"), nullable=False
        ),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("verified_by_person_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column(
            "evidence_certificate_id",
            sa.Integer(),
            sa.ForeignKey("certificate.id"),
            nullable=True,
        ),
        sa.Column("supersedes_id", sa.Integer(), sa.ForeignKey("verification.id"), nullable=True),
        sa.Column("created_at", _MOMENT(), nullable=False),
        sa.UniqueConstraint("supersedes_id", name="uq_verification_supersedes"),
    )
    op.create_index("ix_verification_credential_id", "verification", ["credential_id"])
    op.create_index("ix_verification_person_id", "verification", ["person_id"])
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("sent_at", _MOMENT(), nullable=False),
        sa.UniqueConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("notice")
    op.drop_index("ix_verification_person_id", "verification")
    op.drop_index("ix_verification_credential_id", "verification")
    op.drop_table("verification")
    op.drop_index("ix_invite_account_id", "invite")
    op.drop_table("invite")
    with op.batch_alter_table("organization") as table:
        table.drop_column("reverify_days")
