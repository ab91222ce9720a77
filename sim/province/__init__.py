"""Province files: one commune centre per new commune-level unit of a province (`sim province`)."""
