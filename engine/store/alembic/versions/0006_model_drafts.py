"""model drafts: a process owner's diagram and forms as edited in the browser, one per person and process

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.store.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("process_key", sa.String(length=200), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("bpmn_xml", sa.Text(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("saved_at", engine.store.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner"], ["users.name"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner", "process_key"),
    )
    with op.batch_alter_table("model_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_model_drafts_owner"), ["owner"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("model_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_drafts_owner"))
    op.drop_table("model_drafts")
