"""the approval case's incremental rule state (issue 17)

Existing cases get no state: the first evaluation of each builds it from its history once
(a missing state means exactly that), so the upgrade itself reads no events.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 17:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('approval_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_state', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('approval_cases', schema=None) as batch_op:
        batch_op.drop_column('rule_state')
