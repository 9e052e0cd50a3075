"""The expertise directory's full-text search document, on PostgreSQL only.

`trusts_person.search_vector` (tsvector, GIN-indexed) holds everything a person is
searched by, weighted: A their name; B their designations, expertise tags and job role;
C their academy, trust and region; D their expertise summary (names and acronyms in the
'simple' configuration, expertise and the summary also in 'english' so word forms
meet). Database triggers keep it in step with every write that changes it (the person,
their designations and tags, their academy, their trust, a renamed designation or tag),
whether it comes from a form, an import, `bulk_create` or a raw UPDATE: Django's own
advice for a search vector (https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/search/#performance).
Triggers are statement-level, with transition tables, so a bulk insert recomputes once.

The column is not a model field: SQLite (the embedded default) has no tsvector and
searches with LIKE rules instead (network.programme.directory_search), and history tables must
not copy it. On other databases this migration does nothing.
"""

from django.db import migrations

# The job role as people say it, frozen here as the database's CASE; a label changed in
# trusts.models.JobRole needs a migration that re-creates trusts_person_search_refresh.
JOB_ROLES = [
    ("head_of_science", "Head of science"),
    ("subject_lead", "Subject lead"),
    ("trust_science_lead", "Trust science lead"),
    ("teacher", "Teacher"),
    ("ect", "Early career teacher (ECT)"),
    ("trainee", "Trainee teacher"),
    ("technician", "Science technician"),
    ("senior_leader", "Senior leader"),
    ("headteacher", "Headteacher"),
    ("ceo", "Chief executive (CEO)"),
    ("other", "Other"),
]
ROLE_CASE = "CASE p2.job_role " + " ".join(f"WHEN '{v}' THEN '{label}'" for v, label in JOB_ROLES) + " ELSE '' END"

FORWARD = f"""
ALTER TABLE trusts_person ADD COLUMN search_vector tsvector;
CREATE INDEX trusts_person_search_vector_idx ON trusts_person USING gin (search_vector);

-- Recompute the vectors of these people. A statement-level trigger fires even when no
-- row changed, so an empty list returns at once (the refresh's own UPDATE fires the
-- person trigger, which finds no searched column changed, and stops there).
CREATE FUNCTION trusts_person_search_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
IF ids IS NULL OR cardinality(ids) = 0 THEN
    RETURN;
END IF;
UPDATE trusts_person p SET search_vector =
       setweight(to_tsvector('simple', p2.first_name || ' ' || p2.last_name), 'A')
    || setweight(to_tsvector('simple', coalesce(d.names, '') || ' ' || coalesce(e.names, '') || ' ' || {ROLE_CASE}), 'B')
    || setweight(to_tsvector('english', coalesce(e.names, '')), 'B')
    || setweight(to_tsvector('simple',
           coalesce(a.name, '') || ' '
           || coalesce(CASE WHEN p2.academy_id IS NULL THEN tp.name ELSE ta.name END, '') || ' '
           || coalesce(CASE WHEN p2.academy_id IS NULL THEN tp.region ELSE a.region END, '')), 'C')
    || setweight(to_tsvector('simple', p2.expertise_summary), 'D')
    || setweight(to_tsvector('english', p2.expertise_summary), 'D')
FROM trusts_person p2
LEFT JOIN trusts_academy a ON a.id = p2.academy_id
LEFT JOIN trusts_trust ta ON ta.id = a.trust_id
LEFT JOIN trusts_trust tp ON tp.id = p2.trust_id
LEFT JOIN LATERAL (
    SELECT string_agg(x.name, ' ') AS names FROM trusts_person_designations pd
    JOIN trusts_designation x ON x.id = pd.designation_id WHERE pd.person_id = p2.id
) d ON true
LEFT JOIN LATERAL (
    SELECT string_agg(x.name, ' ') AS names FROM trusts_person_expertise pe
    JOIN trusts_expertisetag x ON x.id = pe.expertisetag_id WHERE pe.person_id = p2.id
) e ON true
WHERE p.id = p2.id AND p.id = ANY(ids);
END $$;

-- A new person, or a person whose searched columns changed (the refresh itself changes
-- only search_vector, so it does not trigger again).
CREATE FUNCTION trusts_person_search_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM trusts_person_search_refresh(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER trusts_person_search_insert AFTER INSERT ON trusts_person
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusts_person_search_on_insert();

CREATE FUNCTION trusts_person_search_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM trusts_person_search_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.first_name, n.last_name, n.expertise_summary, n.job_role, n.academy_id, n.trust_id)
              IS DISTINCT FROM (o.first_name, o.last_name, o.expertise_summary, o.job_role, o.academy_id, o.trust_id)
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER trusts_person_search_update AFTER UPDATE ON trusts_person
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION trusts_person_search_on_update();

-- Designations and expertise tags added to or removed from people.
CREATE FUNCTION trusts_person_search_on_link_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM trusts_person_search_refresh(ARRAY(SELECT DISTINCT person_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION trusts_person_search_on_link_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM trusts_person_search_refresh(ARRAY(SELECT DISTINCT person_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER trusts_person_designations_search_insert AFTER INSERT ON trusts_person_designations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusts_person_search_on_link_insert();
CREATE TRIGGER trusts_person_designations_search_delete AFTER DELETE ON trusts_person_designations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trusts_person_search_on_link_delete();
CREATE TRIGGER trusts_person_expertise_search_insert AFTER INSERT ON trusts_person_expertise
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trusts_person_search_on_link_insert();
CREATE TRIGGER trusts_person_expertise_search_delete AFTER DELETE ON trusts_person_expertise
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trusts_person_search_on_link_delete();

-- An academy renamed, moved to another region or trust; a trust renamed or moved.
CREATE FUNCTION trusts_academy_search_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM trusts_person_search_refresh(ARRAY(
        SELECT p.id FROM trusts_person p JOIN new_rows n ON n.id = p.academy_id JOIN old_rows o ON o.id = n.id
        WHERE (n.name, n.region, n.trust_id) IS DISTINCT FROM (o.name, o.region, o.trust_id)
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER trusts_academy_search_update AFTER UPDATE ON trusts_academy
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION trusts_academy_search_on_update();

CREATE FUNCTION trusts_trust_search_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM trusts_person_search_refresh(ARRAY(
        SELECT p.id FROM trusts_person p
        LEFT JOIN trusts_academy a ON a.id = p.academy_id
        JOIN new_rows n ON n.id = coalesce(a.trust_id, p.trust_id) JOIN old_rows o ON o.id = n.id
        WHERE (n.name, n.region) IS DISTINCT FROM (o.name, o.region)
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER trusts_trust_search_update AFTER UPDATE ON trusts_trust
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION trusts_trust_search_on_update();

-- A designation or an expertise tag renamed.
CREATE FUNCTION trusts_designation_search_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM trusts_person_search_refresh(ARRAY(
        SELECT pd.person_id FROM trusts_person_designations pd JOIN new_rows n ON n.id = pd.designation_id
        JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER trusts_designation_search_update AFTER UPDATE ON trusts_designation
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION trusts_designation_search_on_update();

CREATE FUNCTION trusts_expertisetag_search_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM trusts_person_search_refresh(ARRAY(
        SELECT pe.person_id FROM trusts_person_expertise pe JOIN new_rows n ON n.id = pe.expertisetag_id
        JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name
    ));
    RETURN NULL;
END $$;
CREATE TRIGGER trusts_expertisetag_search_update AFTER UPDATE ON trusts_expertisetag
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION trusts_expertisetag_search_on_update();

SELECT trusts_person_search_refresh(ARRAY(SELECT id FROM trusts_person));
"""

BACKWARD = """
DROP TRIGGER IF EXISTS trusts_expertisetag_search_update ON trusts_expertisetag;
DROP TRIGGER IF EXISTS trusts_designation_search_update ON trusts_designation;
DROP TRIGGER IF EXISTS trusts_trust_search_update ON trusts_trust;
DROP TRIGGER IF EXISTS trusts_academy_search_update ON trusts_academy;
DROP TRIGGER IF EXISTS trusts_person_expertise_search_delete ON trusts_person_expertise;
DROP TRIGGER IF EXISTS trusts_person_expertise_search_insert ON trusts_person_expertise;
DROP TRIGGER IF EXISTS trusts_person_designations_search_delete ON trusts_person_designations;
DROP TRIGGER IF EXISTS trusts_person_designations_search_insert ON trusts_person_designations;
DROP TRIGGER IF EXISTS trusts_person_search_update ON trusts_person;
DROP TRIGGER IF EXISTS trusts_person_search_insert ON trusts_person;
DROP FUNCTION IF EXISTS trusts_expertisetag_search_on_update();
DROP FUNCTION IF EXISTS trusts_designation_search_on_update();
DROP FUNCTION IF EXISTS trusts_trust_search_on_update();
DROP FUNCTION IF EXISTS trusts_academy_search_on_update();
DROP FUNCTION IF EXISTS trusts_person_search_on_link_delete();
DROP FUNCTION IF EXISTS trusts_person_search_on_link_insert();
DROP FUNCTION IF EXISTS trusts_person_search_on_update();
DROP FUNCTION IF EXISTS trusts_person_search_on_insert();
DROP FUNCTION IF EXISTS trusts_person_search_refresh(bigint[]);
DROP INDEX IF EXISTS trusts_person_search_vector_idx;
ALTER TABLE trusts_person DROP COLUMN IF EXISTS search_vector;
"""


def _run(schema_editor, sql: str) -> None:
    # Several statements with $$ bodies: sent as one script, without parameters.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("trusts", "0003_performance_attainment8")]

    operations = [migrations.RunPython(forward, backward)]
