"""Stage 2: validation. Reading the registry's files, the schemas, the Chinese messages for schema
errors, the rule catalog, and the cross-record rules; `pipeline.validate` runs them all."""
