"""mappings/README.md documents every key a rule file may use, and no other."""

from __future__ import annotations

import re

from migrate.rules import MAPPINGS, schema_key_paths

ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|", re.MULTILINE)


def documented_keys() -> list[str]:
    text = (MAPPINGS / "README.md").read_text("utf-8")
    section = text[text.index("## Every key"):]
    return ROW.findall(section)


def test_every_key_is_documented_once():
    documented = documented_keys()
    assert len(documented) == len(set(documented)), "a key is documented twice"
    schema = set(schema_key_paths())
    assert sorted(schema - set(documented)) == [], "keys the schema has and the README does not"
    assert sorted(set(documented) - schema) == [], "keys the README has and the schema does not"


def test_the_bundled_files_are_listed():
    text = (MAPPINGS / "README.md").read_text("utf-8")
    for path in MAPPINGS.glob("*.yaml"):
        assert f"`{path.name}`" in text
