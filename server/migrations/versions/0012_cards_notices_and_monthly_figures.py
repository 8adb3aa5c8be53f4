"""cards, notices and monthly figures; indexes for reading a month of records

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-03 10:41:45
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('monthly_figures',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('by', sa.String(length=16), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'month', 'by', name=op.f('pk_monthly_figures'))
    )
    op.create_table('cards',
    sa.Column('pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('staff', sa.String(length=100), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('alerts', sa.JSON(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('issued_at', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('revoked_by', sa.String(length=100), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_cards_office_id_offices')),
    sa.PrimaryKeyConstraint('pk', name=op.f('pk_cards')),
    sa.UniqueConstraint('id', name=op.f('uq_cards_id'))
    )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index('ix_cards_issued_at', ['issued_at'], unique=False)
        batch_op.create_index('ix_cards_office', ['office_id', 'pk'], unique=False)

    op.create_table('notices',
    sa.Column('pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('alerts', sa.JSON(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('issued_at', sa.BigInteger(), nullable=False),
    sa.Column('reply_days', sa.Integer(), nullable=False),
    sa.Column('reply_due', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('replied_at', sa.BigInteger(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_by', sa.String(length=100), nullable=True),
    sa.Column('reply_at_centre', sa.Boolean(), nullable=False),
    sa.Column('next_check', sa.BigInteger(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_notices_office_id_offices')),
    sa.PrimaryKeyConstraint('pk', name=op.f('pk_notices')),
    sa.UniqueConstraint('id', name=op.f('uq_notices_id'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_issued_at', ['issued_at'], unique=False)
        batch_op.create_index('ix_notices_office', ['office_id', 'pk'], unique=False)
        batch_op.create_index('ix_notices_office_next', ['office_id', 'next_check'], unique=False)
        batch_op.create_index('ix_notices_reply_due', ['reply_due'], unique=False)

    op.create_table('card_entries',
    sa.Column('pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('card_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['card_pk'], ['cards.pk'], name=op.f('fk_card_entries_card_pk_cards')),
    sa.PrimaryKeyConstraint('pk', name=op.f('pk_card_entries'))
    )
    with op.batch_alter_table('card_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_entries_card_pk'), ['card_pk'], unique=False)

    op.create_table('notice_entries',
    sa.Column('pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('notice_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['notice_pk'], ['notices.pk'], name=op.f('fk_notice_entries_notice_pk_notices')),
    sa.PrimaryKeyConstraint('pk', name=op.f('pk_notice_entries'))
    )
    with op.batch_alter_table('notice_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_entries_notice_pk'), ['notice_pk'], unique=False)

    op.create_table('notice_replies',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('notice_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['notice_pk'], ['notices.pk'], name=op.f('fk_notice_replies_notice_pk_notices')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_notice_replies_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_replies'))
    )
    with op.batch_alter_table('notice_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_replies_notice_pk'), ['notice_pk'], unique=False)



    # The month's figures read a month of records by their instant.
    with op.batch_alter_table('approval_cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_received_at', ['received_at'], unique=False)
        batch_op.create_index('ix_cases_closed_at', ['closed_at'], unique=False)
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index('ix_evaluations_at', ['at'], unique=False)
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('ix_alerts_raised_at', ['raised_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_raised_at')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluations_at')
    with op.batch_alter_table('approval_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_closed_at')
        batch_op.drop_index('ix_cases_received_at')
    with op.batch_alter_table('notice_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_replies_notice_pk'))

    op.drop_table('notice_replies')
    with op.batch_alter_table('notice_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_entries_notice_pk'))

    op.drop_table('notice_entries')
    with op.batch_alter_table('card_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_entries_card_pk'))

    op.drop_table('card_entries')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_reply_due')
        batch_op.drop_index('ix_notices_office_next')
        batch_op.drop_index('ix_notices_office')
        batch_op.drop_index('ix_notices_issued_at')

    op.drop_table('notices')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index('ix_cards_office')
        batch_op.drop_index('ix_cards_issued_at')

    op.drop_table('cards')
    op.drop_table('monthly_figures')
