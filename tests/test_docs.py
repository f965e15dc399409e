"""Documentation that must not drift from the code."""

from __future__ import annotations

from conftest import ROOT

from regatlas.cli import app, rules_app
from regatlas.facts.docs import vocabulary_markdown


def test_facts_doc_is_generated_from_the_vocabulary(pack):
    current = (ROOT / "docs" / "facts.md").read_text()
    assert current.strip() == vocabulary_markdown(pack.vocabulary).strip(), (
        "docs/facts.md is stale: run `regatlas facts --format markdown > docs/facts.md`"
    )


def test_every_command_is_documented():
    doc = (ROOT / "docs" / "commands.md").read_text()
    names = [c.name for c in app.registered_commands] + [f"rules {c.name}" for c in rules_app.registered_commands]
    for group in app.registered_groups:
        names += [f"{group.name} {c.name}" for c in group.typer_instance.registered_commands]
    for name in names:
        assert f"regatlas {name}" in doc, f"command '{name}' is not documented in docs/commands.md"


def test_every_theme_quantity_and_principle_is_documented(pack):
    doc = (ROOT / "docs" / "compare.md").read_text()
    vocab = pack.vocabularies
    for name in [*vocab.themes, *vocab.quantities, *vocab.principles]:
        assert f"`{name}`" in doc, f"'{name}' is not documented in docs/compare.md"


def test_compare_doc_tables_match_the_vocabulary(pack):
    from regatlas.rules.themes import vocabulary_tables

    doc = (ROOT / "docs" / "compare.md").read_text()
    for table in vocabulary_tables(pack.vocabularies).split("\n\n"):
        assert table.strip() in doc, "docs/compare.md tables are stale: regenerate them from vocabulary_tables()"
