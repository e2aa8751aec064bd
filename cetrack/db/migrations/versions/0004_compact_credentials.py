"""compact credentials: the home credential a privilege stands on, and its remote state

`credential.home_credential_id` names another credential of the same person (a privilege to
practice stands on a home-state license); `credential.remote_state` is the state a privilege
is granted for. Both are empty for every existing credential.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("credential") as batch:
        batch.add_column(sa.Column("home_credential_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("remote_state", sa.String(length=2), nullable=False, server_default="")
        )
        batch.create_foreign_key(
            "fk_credential_home_credential", "credential", ["home_credential_id"], ["id"]
        )
        batch.create_index("ix_credential_home_credential_id", ["home_credential_id"])


def downgrade() -> None:
    with op.batch_alter_table("credential") as batch:
        batch.drop_index("ix_credential_home_credential_id")
        batch.drop_constraint("fk_credential_home_credential", type_="foreignkey")
        batch.drop_column("remote_state")
        batch.drop_column("home_credential_id")
