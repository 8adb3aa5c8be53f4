"""mutation engine: mutation digests, alert links, per-person change audience

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mutations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('links', sa.JSON(), nullable=True))
    op.create_table('change_audience',
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('username', 'seq', name=op.f('pk_change_audience'))
    )


def downgrade() -> None:
    op.drop_table('change_audience')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('links')
    with op.batch_alter_table('mutations', schema=None) as batch_op:
        batch_op.drop_column('digest')
