"""ImportSchemaGen that re-runs when the schema file's content changes.

TFX's ImportSchemaGen takes one execution parameter, the schema file's path, and its
cache key hashes that path, not the file: an edited schema would leave ImportSchemaGen
and every node after it cached, validating new data against the old schema. This
subclass adds the file's SHA-256 as a second parameter (the executor ignores it), so
an edit changes the cache key, and ML Metadata records which schema content a run used.
"""

from tfx import types
from tfx.components.schema_gen.import_schema_gen import component as import_schema_gen
from tfx.types import standard_artifacts, standard_component_specs
from tfx.types.component_spec import ExecutionParameter

SCHEMA_SHA256_KEY = "schema_sha256"


class ImportSchemaGenSpec(standard_component_specs.ImportSchemaGenSpec):
    PARAMETERS = {
        **standard_component_specs.ImportSchemaGenSpec.PARAMETERS,
        SCHEMA_SHA256_KEY: ExecutionParameter(type=str),
    }


class ImportSchemaGen(import_schema_gen.ImportSchemaGen):
    """Imports `schema_file`; `schema_sha256` (its content's digest) keys the cache."""

    SPEC_CLASS = ImportSchemaGenSpec

    def __init__(self, schema_file: str, schema_sha256: str) -> None:
        spec = ImportSchemaGenSpec(
            schema_file=schema_file,
            schema_sha256=schema_sha256,
            schema=types.Channel(type=standard_artifacts.Schema),
        )
        # TFX's __init__ builds its own spec without the digest; the base class takes ours.
        super(import_schema_gen.ImportSchemaGen, self).__init__(spec=spec)
