"""investigations: cases, their people, links, evidence, opinions and timeline; evidence uploads

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-03 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence_uploads',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', 'username', name=op.f('pk_evidence_uploads'))
    )
    op.create_table('investigations',
    sa.Column('pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.JSON(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('joint_review', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.Column('filing_approved_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('pk', name=op.f('pk_investigations')),
    sa.UniqueConstraint('id', name=op.f('uq_investigations_id'))
    )
    with op.batch_alter_table('investigations', schema=None) as batch_op:
        batch_op.create_index('ix_investigations_created_by', ['created_by', 'pk'], unique=False)
        batch_op.create_index('ix_investigations_stage', ['stage', 'pk'], unique=False)
        batch_op.create_index('ix_investigations_status', ['status', 'pk'], unique=False)

    op.create_table('investigation_evidence',
    sa.Column('investigation_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('attached_by', sa.String(length=100), nullable=False),
    sa.Column('attached_at', sa.BigInteger(), nullable=False),
    sa.Column('supersedes', sa.String(length=64), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['investigation_pk'], ['investigations.pk'], name=op.f('fk_investigation_evidence_investigation_pk_investigations')),
    sa.PrimaryKeyConstraint('investigation_pk', 'sha256', name=op.f('pk_investigation_evidence'))
    )
    with op.batch_alter_table('investigation_evidence', schema=None) as batch_op:
        batch_op.create_index('ix_investigation_evidence_sha256', ['sha256'], unique=False)

    op.create_table('investigation_links',
    sa.Column('investigation_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['investigation_pk'], ['investigations.pk'], name=op.f('fk_investigation_links_investigation_pk_investigations')),
    sa.PrimaryKeyConstraint('investigation_pk', 'type', 'ref', name=op.f('pk_investigation_links'))
    )
    with op.batch_alter_table('investigation_links', schema=None) as batch_op:
        batch_op.create_index('ix_investigation_links_ref', ['type', 'ref'], unique=False)

    op.create_table('investigation_opinions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('investigation_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reviewer', sa.String(length=100), nullable=False),
    sa.Column('opinion', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['investigation_pk'], ['investigations.pk'], name=op.f('fk_investigation_opinions_investigation_pk_investigations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investigation_opinions'))
    )
    with op.batch_alter_table('investigation_opinions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_investigation_opinions_investigation_pk'), ['investigation_pk'], unique=False)

    op.create_table('investigation_people',
    sa.Column('investigation_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['investigation_pk'], ['investigations.pk'], name=op.f('fk_investigation_people_investigation_pk_investigations')),
    sa.PrimaryKeyConstraint('investigation_pk', 'relation', 'username', name=op.f('pk_investigation_people'))
    )
    with op.batch_alter_table('investigation_people', schema=None) as batch_op:
        batch_op.create_index('ix_investigation_people_username', ['username', 'relation', 'investigation_pk'], unique=False)

    op.create_table('investigation_timeline',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('investigation_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['investigation_pk'], ['investigations.pk'], name=op.f('fk_investigation_timeline_investigation_pk_investigations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investigation_timeline'))
    )
    with op.batch_alter_table('investigation_timeline', schema=None) as batch_op:
        batch_op.create_index('ix_investigation_timeline_case', ['investigation_pk', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('investigation_timeline', schema=None) as batch_op:
        batch_op.drop_index('ix_investigation_timeline_case')

    op.drop_table('investigation_timeline')
    with op.batch_alter_table('investigation_people', schema=None) as batch_op:
        batch_op.drop_index('ix_investigation_people_username')

    op.drop_table('investigation_people')
    with op.batch_alter_table('investigation_opinions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investigation_opinions_investigation_pk'))

    op.drop_table('investigation_opinions')
    with op.batch_alter_table('investigation_links', schema=None) as batch_op:
        batch_op.drop_index('ix_investigation_links_ref')

    op.drop_table('investigation_links')
    with op.batch_alter_table('investigation_evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_investigation_evidence_sha256')

    op.drop_table('investigation_evidence')
    with op.batch_alter_table('investigations', schema=None) as batch_op:
        batch_op.drop_index('ix_investigations_status')
        batch_op.drop_index('ix_investigations_stage')
        batch_op.drop_index('ix_investigations_created_by')

    op.drop_table('investigations')
    op.drop_table('evidence_uploads')
