"""Province files: one commune centre per new commune-level unit of a province (schema,
loading, and `sim province init`, which writes one from the administrative-unit data)."""
