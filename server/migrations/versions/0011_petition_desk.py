"""petition desk: merge links, conversions, attachments, open deadline, searchable unit, substantiated closes

Revision ID: 0011
Revises: 0007 (0005 before the investigations branch was merged into desk)
Create Date: 2026-12-04 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_unit', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('investigations', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('deadline', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_petitions_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_primary_id'), ['primary_id'], unique=False)
    with op.batch_alter_table('petition_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('substantiated', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
    # Petitions stored before: their unit becomes searchable; their deadline is set by the next
    # evaluation (the sweep re-evaluates every petition whose next_check has passed).
    conn = op.get_bind()
    petitions = sa.table('petitions', sa.column('id', sa.String), sa.column('subject', sa.JSON),
                         sa.column('subject_unit', sa.String), sa.column('next_check', sa.BigInteger))
    rows = conn.execute(sa.select(petitions.c.id, petitions.c.subject)).all()
    for pid, subject in rows:
        unit = (subject or {}).get('unit') if isinstance(subject, dict) else None
        conn.execute(petitions.update().where(petitions.c.id == pid).values(
            subject_unit=(unit or '')[:200] or None, next_check=0))


def downgrade() -> None:
    with op.batch_alter_table('petition_events', schema=None) as batch_op:
        batch_op.drop_column('seq')
        batch_op.drop_column('substantiated')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_primary_id'))
        batch_op.drop_index(batch_op.f('ix_petitions_deadline'))
        batch_op.drop_column('deadline')
        batch_op.drop_column('attachments')
        batch_op.drop_column('investigations')
        batch_op.drop_column('subject_unit')
