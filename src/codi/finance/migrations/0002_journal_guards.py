"""Database guards for the journal: posted entries and lines are never updated or deleted, and on
PostgreSQL a deferred constraint trigger checks at commit that each entry's lines balance and
add up to its header (SQLite has no deferred triggers: there an insert trigger refuses a line
that would take the debits or credits past the header's balanced totals)."""

from django.db import migrations

TABLES = ("finance_journalentry", "finance_journalline")

SQLITE = [
    stmt
    for table in TABLES
    for stmt in (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'posted journal rows are immutable; post a reversal'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'posted journal rows are immutable; post a reversal'); END;",
    )
] + [
    "CREATE TRIGGER IF NOT EXISTS finance_journalline_within_header BEFORE INSERT ON finance_journalline "
    "WHEN (SELECT COALESCE(SUM(debit), 0) FROM finance_journalline WHERE entry_id = NEW.entry_id) + NEW.debit "
    "> (SELECT total_debit FROM finance_journalentry WHERE id = NEW.entry_id) "
    "OR (SELECT COALESCE(SUM(credit), 0) FROM finance_journalline WHERE entry_id = NEW.entry_id) + NEW.credit "
    "> (SELECT total_credit FROM finance_journalentry WHERE id = NEW.entry_id) "
    "BEGIN SELECT RAISE(ABORT, 'journal line exceeds its entry total'); END;",
]
SQLITE_DROP = (
    [f"DROP TRIGGER IF EXISTS {t}_no_update;" for t in TABLES]
    + [f"DROP TRIGGER IF EXISTS {t}_no_delete;" for t in TABLES]
    + ["DROP TRIGGER IF EXISTS finance_journalline_within_header;"]
)

POSTGRES = [
    "CREATE OR REPLACE FUNCTION finance_journal_immutable() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'posted journal rows are immutable; post a reversal'; END; $$ LANGUAGE plpgsql;",
    *[
        f"CREATE TRIGGER {t}_guard BEFORE UPDATE OR DELETE ON {t} "
        "FOR EACH ROW EXECUTE FUNCTION finance_journal_immutable();"
        for t in TABLES
    ],
    "CREATE OR REPLACE FUNCTION finance_entry_balanced() RETURNS trigger AS $$ DECLARE d numeric; c numeric; "
    "h_d numeric; h_c numeric; BEGIN "
    "SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) INTO d, c FROM finance_journalline "
    "WHERE entry_id = NEW.entry_id; "
    "SELECT total_debit, total_credit INTO h_d, h_c FROM finance_journalentry WHERE id = NEW.entry_id; "
    "IF d <> c OR d <> h_d OR c <> h_c THEN RAISE EXCEPTION 'journal entry does not balance'; "
    "END IF; RETURN NULL; END; $$ LANGUAGE plpgsql;",
    "CREATE CONSTRAINT TRIGGER finance_journalline_balanced AFTER INSERT ON finance_journalline "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_entry_balanced();",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS finance_journalline_balanced ON finance_journalline;",
    *[f"DROP TRIGGER IF EXISTS {t}_guard ON {t};" for t in TABLES],
    "DROP FUNCTION IF EXISTS finance_entry_balanced();",
    "DROP FUNCTION IF EXISTS finance_journal_immutable();",
]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
