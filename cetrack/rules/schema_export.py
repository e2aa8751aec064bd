"""The JSON Schema of rule files, generated from the pydantic models for editors."""

from __future__ import annotations

import json

from cetrack.rules.schema import RuleFile

SCHEMA_FILENAME = "rule.schema.json"


def schema_text() -> str:
    schema = RuleFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cetrack state rule file"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
