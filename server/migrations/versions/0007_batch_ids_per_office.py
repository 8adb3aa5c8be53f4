"""batch ids per office

A batch id is the office's own: another office that happens to (or tries to) use the same id
gets its own batch, instead of a 409 that tells it the id exists elsewhere.

Revision ID: 0007
Revises: 0010
Create Date: 2026-12-02 09:00:00
"""

from alembic import op


revision = '0007'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.drop_constraint('pk_batches', type_='primary')
        batch_op.create_primary_key('pk_batches', ['office_id', 'batch_id'])


def downgrade() -> None:
    # Only possible while no batch id is used by two offices.
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.drop_constraint('pk_batches', type_='primary')
        batch_op.create_primary_key('pk_batches', ['batch_id'])
