"""audit chain: every audit event sealed into one SHA-256 chain

`auditevent.seq` (the place in the chain), `prev_hash` and `hash`. Existing events are sealed
here, in id order, exactly as the app seals new ones (`cetrack.services.audit`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auditevent") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "prev_hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(
            sa.Column(
                "hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch.create_unique_constraint("uq_auditevent_seq", ["seq"])
    from cetrack.services.audit import seal_rows

    seal_rows(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("auditevent") as batch:
        batch.drop_constraint("uq_auditevent_seq", type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
