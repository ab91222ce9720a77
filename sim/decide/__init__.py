"""Decisions that run experiments: compare options and recommend one, search for staffing,
allocate extra staff across a province's centres."""
