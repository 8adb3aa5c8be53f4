"""server settings; offices follow the OFFICE_SILENT setting unless given their own hours

Revision ID: 0008
Revises: 0011
Create Date: 2026-11-22 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'server_settings',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.BigInteger(), nullable=False),
        sa.Column('updated_by', sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_server_settings')),
    )
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('silent_hours', existing_type=sa.Integer(), nullable=True)
    # 24 was every office's default: those offices now follow the server setting (24 unless changed).
    op.execute("UPDATE offices SET silent_hours = NULL WHERE silent_hours = 24")


def downgrade() -> None:
    op.execute("UPDATE offices SET silent_hours = 24 WHERE silent_hours IS NULL")
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('silent_hours', existing_type=sa.Integer(), nullable=False)
    op.drop_table('server_settings')
