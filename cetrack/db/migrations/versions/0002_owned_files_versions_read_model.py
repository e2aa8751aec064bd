"""owned certificates, record versions, the evaluation read model, audit actors

- `storedfile` holds file content by hash; `certificate` becomes one person's link to it
  (an old certificate shared by several people's activities becomes one link each);
- `activity.hours` becomes `amount` (it is in `unit`), and person, credential and activity
  get a `version`;
- `evaluation` is rebuilt as the read model, one dirty row per credential (results are
  recomputed on next read);
- audit events record their actor (backfilled with the record's owner, who was the only
  possible actor before).

Written without SQLite batch mode: no table that another references is rebuilt while it is
referenced, so it runs inside one transaction with foreign keys on, on SQLite and PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def _reset_sequence(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def upgrade() -> None:
    op.create_table(
        "storedfile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", _TEXT(length=64), nullable=False),
        sa.Column("media_type", _TEXT(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("stored_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_storedfile_sha256", "storedfile", ["sha256"], unique=True)
    op.execute(
        "INSERT INTO storedfile (id, sha256, media_type, size, stored_at) "
        "SELECT id, sha256, media_type, size, uploaded_at FROM certificate"
    )
    _reset_sequence("storedfile")

    op.create_table(
        "certificate_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("filename", _TEXT(length=255), nullable=False),
        sa.Column("uploaded_at", _TIME(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["storedfile.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    # one link per person and old certificate their activities used
    op.execute(
        "INSERT INTO certificate_link (person_id, file_id, filename, uploaded_at) "
        "SELECT DISTINCT a.person_id, c.id, c.filename, c.uploaded_at "
        "FROM activity a JOIN certificate c ON c.id = a.certificate_id"
    )

    op.create_table(
        "activity_v2",
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("title", _TEXT(length=300), nullable=False),
        sa.Column("provider", _TEXT(length=300), nullable=False),
        sa.Column("completed", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("unit", _TEXT(length=32), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("format", _TEXT(length=32), nullable=False),
        sa.Column("type", _TEXT(length=32), nullable=False),
        sa.Column("notes", _TEXT(length=4000), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.Column("updated_at", _TIME(), nullable=False),
        sa.Column("deleted_at", _TIME(), nullable=True),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificate_link.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        "INSERT INTO activity_v2 (id, person_id, title, provider, completed, amount, unit, "
        "categories, format, type, notes, certificate_id, created_at, updated_at, deleted_at) "
        "SELECT a.id, a.person_id, a.title, a.provider, a.completed, a.hours, a.unit, "
        "a.categories, a.format, a.type, a.notes, l.id, a.created_at, a.updated_at, "
        "a.deleted_at FROM activity a LEFT JOIN certificate_link l "
        "ON l.file_id = a.certificate_id AND l.person_id = a.person_id"
    )
    op.drop_table("activity")
    op.drop_table("certificate")
    op.rename_table("certificate_link", "certificate")
    op.rename_table("activity_v2", "activity")
    _reset_sequence("certificate")
    _reset_sequence("activity")
    op.create_index("ix_certificate_person_id", "certificate", ["person_id"])
    op.create_index("ix_certificate_file_id", "certificate", ["file_id"])
    op.create_index("ix_activity_person_id", "activity", ["person_id"])
    op.create_index("ix_activity_completed", "activity", ["completed"])
    op.create_index("ix_activity_person_completed", "activity", ["person_id", "completed"])

    for table in ("person", "credential"):
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))

    op.drop_table("evaluation")
    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.Column("rule_hash", _TEXT(length=64), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("computed_at", _TIME(), nullable=True),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("cycle_start", sa.Date(), nullable=True),
        sa.Column("total_required", sa.Float(), nullable=True),
        sa.Column("total_counted", sa.Float(), nullable=True),
        sa.Column("hours_remaining", sa.Float(), nullable=True),
        sa.Column("minimal_additional", sa.Float(), nullable=True),
        sa.Column("error", _TEXT(length=1000), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["credential_id"], ["credential.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("credential_id", name="uq_evaluation_credential"),
    )
    op.create_index("ix_evaluation_credential_id", "evaluation", ["credential_id"])
    op.create_index("ix_evaluation_dirty", "evaluation", ["dirty"])
    op.create_index("ix_evaluation_status_deadline", "evaluation", ["status", "deadline"])
    op.execute(
        "INSERT INTO evaluation (credential_id, generation, dirty, rule_hash, status) "
        "SELECT id, 0, true, '', '' FROM credential"
    )

    op.add_column("auditevent", sa.Column("actor_person_id", sa.Integer(), nullable=True))
    op.create_index("ix_auditevent_actor_person_id", "auditevent", ["actor_person_id"])
    op.execute("UPDATE auditevent SET actor_person_id = person_id")


def downgrade() -> None:
    raise NotImplementedError("0002 cannot be undone: restore a backup taken before it")
