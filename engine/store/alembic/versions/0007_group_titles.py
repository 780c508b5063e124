"""group titles: what people read for a role (candidate group), in Persian and English

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "groups",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=True),
        sa.Column("title_en", sa.String(length=400), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("groups")
