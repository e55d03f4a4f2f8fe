"""On PostgreSQL the database itself refuses to change or delete a line of the access log, so that
raw SQL (a console, a script, a mistaken data fix) cannot rewrite it either: the model's refusal
only stops the ORM.

One change is let through: deleting a person clears ``user_id`` on their lines (the foreign key is
SET_NULL, which Django runs as an UPDATE) while every other column, the e-mail address they had
included, stays as it was. There is no retention of the log itself, so no function deletes from it.

TRUNCATE is not refused (the test suite's flush uses it) and the table's owner can disable the
trigger: the README says how to run the service as a role that owns neither."""

from django.db import migrations

FUNCTION = "agencies_accessevent_refuse_change"
TRIGGER = "agencies_accessevent_append_only"
TABLE = "agencies_accessevent"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
       AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;  -- the person was deleted: their lines stay, with the address they had
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE};
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # Without parameters, so that the % of RAISE is not taken for a placeholder.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("agencies", "0004_user_access_version")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
