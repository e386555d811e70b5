"""SQLite keeps decimals as binary floats, so the insert guard of 0002 summed 2,244.79 + 11,223.93 to
13,468.720000000001 and refused a balanced three-line entry of 13,468.72 (a loan repayment split
into interest and principal). The guard now compares the sums rounded to the satang. PostgreSQL's
numeric guard is exact and unchanged."""

from django.db import migrations

OLD = (
    "CREATE TRIGGER IF NOT EXISTS finance_journalline_within_header BEFORE INSERT ON finance_journalline "
    "WHEN (SELECT COALESCE(SUM(debit), 0) FROM finance_journalline WHERE entry_id = NEW.entry_id) + NEW.debit "
    "> (SELECT total_debit FROM finance_journalentry WHERE id = NEW.entry_id) "
    "OR (SELECT COALESCE(SUM(credit), 0) FROM finance_journalline WHERE entry_id = NEW.entry_id) + NEW.credit "
    "> (SELECT total_credit FROM finance_journalentry WHERE id = NEW.entry_id) "
    "BEGIN SELECT RAISE(ABORT, 'journal line exceeds its entry total'); END;"
)
NEW = (
    "CREATE TRIGGER IF NOT EXISTS finance_journalline_within_header BEFORE INSERT ON finance_journalline "
    "WHEN ROUND((SELECT COALESCE(SUM(debit), 0) FROM finance_journalline WHERE entry_id = NEW.entry_id) "
    "+ NEW.debit, 2) > ROUND((SELECT total_debit FROM finance_journalentry WHERE id = NEW.entry_id), 2) "
    "OR ROUND((SELECT COALESCE(SUM(credit), 0) FROM finance_journalline WHERE entry_id = NEW.entry_id) "
    "+ NEW.credit, 2) > ROUND((SELECT total_credit FROM finance_journalentry WHERE id = NEW.entry_id), 2) "
    "BEGIN SELECT RAISE(ABORT, 'journal line exceeds its entry total'); END;"
)
DROP = "DROP TRIGGER IF EXISTS finance_journalline_within_header;"


def _sqlite(*statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_periods_payables_receipts")]

    operations = [migrations.RunPython(_sqlite(DROP, NEW), _sqlite(DROP, OLD))]
