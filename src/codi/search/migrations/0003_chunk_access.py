# Chunk access fields (classification, area, kind, date, named readers) and the database lexical index.

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FTS = [
    # External-content FTS5 over the segmented tokens. The "ascii" tokenizer keeps every non-ASCII
    # character inside a token: "unicode61" would cut Thai words apart at their vowel and tone marks.
    "CREATE VIRTUAL TABLE search_chunk_fts USING fts5("
    "tokens, content='search_chunk', content_rowid='id', tokenize='ascii')",
    "CREATE TRIGGER search_chunk_fts_ai AFTER INSERT ON search_chunk BEGIN "
    "INSERT INTO search_chunk_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER search_chunk_fts_ad AFTER DELETE ON search_chunk BEGIN "
    "INSERT INTO search_chunk_fts(search_chunk_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER search_chunk_fts_au AFTER UPDATE OF tokens ON search_chunk BEGIN "
    "INSERT INTO search_chunk_fts(search_chunk_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO search_chunk_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "INSERT INTO search_chunk_fts(search_chunk_fts) VALUES ('rebuild')",
]
SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS search_chunk_fts_au",
    "DROP TRIGGER IF EXISTS search_chunk_fts_ad",
    "DROP TRIGGER IF EXISTS search_chunk_fts_ai",
    "DROP TABLE IF EXISTS search_chunk_fts",
]
POSTGRES_FTS = [
    # The tokens are already segmented and space-joined: the "simple" configuration only splits on
    # the spaces and lower-cases (the database's locale must class Thai marks as letters: C.UTF-8 does).
    "ALTER TABLE search_chunk ADD COLUMN search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX search_chunk_tsv ON search_chunk USING gin (search_tsv)",
]
POSTGRES_FTS_DROP = [
    "DROP INDEX IF EXISTS search_chunk_tsv",
    "ALTER TABLE search_chunk DROP COLUMN IF EXISTS search_tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_dense_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="chunk",
            name="area_code",
            field=models.CharField(blank=True, default="", max_length=12),
        ),
        migrations.AddField(
            model_name="chunk",
            name="classification",
            field=models.CharField(default="public", max_length=12),
        ),
        migrations.AddField(
            model_name="chunk",
            name="doc_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="chunk",
            name="kind",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.AddIndex(
            model_name="chunk",
            index=models.Index(fields=["classification", "area_code"], name="search_chunk_access"),
        ),
        migrations.CreateModel(
            name="ChunkReader",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("principal", models.CharField(max_length=64)),
                (
                    "chunk",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="readers", to="search.chunk"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["principal", "chunk"], name="search_chunkreader_principal")],
                "constraints": [
                    models.UniqueConstraint(fields=("chunk", "principal"), name="search_chunkreader_unique")
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FTS, "postgresql": POSTGRES_FTS}),
            _run({"sqlite": SQLITE_FTS_DROP, "postgresql": POSTGRES_FTS_DROP}),
        ),
    ]
