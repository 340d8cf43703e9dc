"""PostgreSQL-only backstops: no overlapping primary postings, trigram name search.

On other databases these operations do nothing; the services enforce the rule there.
Both extensions ship with PostgreSQL's contrib package; creating them needs a role
allowed to (the database owner on PostgreSQL 13+ for trusted extensions, or a superuser).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE personnel_posting
    ADD CONSTRAINT posting_primary_no_overlap
    EXCLUDE USING gist (
        official_id WITH =,
        daterange(start_date, end_date, '[]') WITH &&
    ) WHERE (is_primary)
    """,
    """
    CREATE INDEX IF NOT EXISTS official_search_key_trgm
    ON personnel_official USING gin (search_key gin_trgm_ops)
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS official_search_key_trgm",
    "ALTER TABLE personnel_posting DROP CONSTRAINT IF EXISTS posting_primary_no_overlap",
]


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
