"""The learning library's stored search vector: heading (A), text (B) and theme names (C),
English stemming. On PostgreSQL, triggers keep it up to date whatever writes a point (a save, a
bulk_create, a change of its themes, a theme renamed), a GIN index serves the search, and the
points already stored are filled in. Other databases get a plain, unused column and search with
icontains."""

from django.db import migrations

import audits.learning.models

VECTOR = """
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.heading, '')), 'A')
    || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.text, '')), 'B')
    || setweight(to_tsvector('pg_catalog.english', coalesce((
        SELECT string_agg(theme.name, ' ' ORDER BY theme.name)
        FROM audits_practicetheme theme
        JOIN audits_learningpoint_themes tag ON tag.practicetheme_id = theme.id
        WHERE tag.learningpoint_id = NEW.id
    ), '')), 'C')
"""

FORWARDS = [
    # A point written: its vector from its heading, text and themes. An UPDATE touching neither
    # the heading nor the text (a move) leaves it alone; setting it to NULL recomputes it.
    f"""
    CREATE FUNCTION audits_learningpoint_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {VECTOR};
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER audits_learningpoint_search_vector
    BEFORE INSERT OR UPDATE OF heading, text, search_vector ON audits_learningpoint
    FOR EACH ROW EXECUTE FUNCTION audits_learningpoint_search_vector()
    """,
    # A theme added to or taken off a point.
    """
    CREATE FUNCTION audits_learningpoint_themes_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE audits_learningpoint SET search_vector = NULL WHERE id = OLD.learningpoint_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE audits_learningpoint SET search_vector = NULL WHERE id = NEW.learningpoint_id;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER audits_learningpoint_themes_search_vector
    AFTER INSERT OR UPDATE OR DELETE ON audits_learningpoint_themes
    FOR EACH ROW EXECUTE FUNCTION audits_learningpoint_themes_search_vector()
    """,
    # A theme renamed: every point it tags.
    """
    CREATE FUNCTION audits_practicetheme_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE audits_learningpoint SET search_vector = NULL
        WHERE id IN (SELECT learningpoint_id FROM audits_learningpoint_themes WHERE practicetheme_id = NEW.id);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER audits_practicetheme_search_vector
    AFTER UPDATE OF name ON audits_practicetheme
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION audits_practicetheme_search_vector()
    """,
    "CREATE INDEX audits_learningpoint_search_vector_gin ON audits_learningpoint USING gin (search_vector)",
    # The points already stored.
    "UPDATE audits_learningpoint SET search_vector = NULL",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS audits_learningpoint_search_vector_gin",
    "DROP TRIGGER IF EXISTS audits_practicetheme_search_vector ON audits_practicetheme",
    "DROP FUNCTION IF EXISTS audits_practicetheme_search_vector()",
    "DROP TRIGGER IF EXISTS audits_learningpoint_themes_search_vector ON audits_learningpoint_themes",
    "DROP FUNCTION IF EXISTS audits_learningpoint_themes_search_vector()",
    "DROP TRIGGER IF EXISTS audits_learningpoint_search_vector ON audits_learningpoint",
    "DROP FUNCTION IF EXISTS audits_learningpoint_search_vector()",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0010_briefing_composer"),
    ]

    operations = [
        migrations.AddField(
            model_name="learningpoint",
            name="search_vector",
            field=audits.learning.models.SearchVectorField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(run(FORWARDS), run(BACKWARDS)),
    ]
