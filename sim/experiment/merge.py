"""One Parquet file per table from the parts of a streamed run, written part by part.

The file holds the parts in the order given (the plan's table order), one row group per part
with rows, under one schema: the parts' stored column types unified as a concatenation would
(an integer column that is a float in some parts becomes a float; a column with no values in
a part takes the type the others give it), read from the parts' footers before any rows are
copied, and the option column categorical with every option in the scenario's order. Only one
part is in memory at a time, however many units the run has.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def merge_parts(parts: Sequence[Path], target: Path, categories: dict[str, list[str]]) -> None:
    """Write the parts, in order, as the one Parquet file ``target``; each column named in
    ``categories`` becomes categorical with those categories (the option column: every
    option, in the scenario's order); those the parts lack are left out."""
    schema = common_schema(parts, categories)
    categories = {column: values for column, values in categories.items()
                  if column in schema.names}
    with pq.ParquetWriter(target, schema) as writer:
        for part in parts:
            table = pq.read_table(part)
            if table.num_rows:
                writer.write_table(_conform(table, schema, categories))


def common_schema(parts: Sequence[Path], categories: dict[str, list[str]]) -> pa.Schema:
    """The parts' schemas (their footers only) unified, without pandas' metadata (pandas
    reads the Arrow types back), the categorical columns as dictionaries."""
    schemas = [pq.read_schema(part).remove_metadata() for part in parts]
    schema = pa.unify_schemas(schemas, promote_options="permissive")
    for column, values in categories.items():
        if column not in schema.names:
            continue
        field = pa.field(column, pa.dictionary(_index_type(len(values)), pa.string()))
        schema = schema.set(schema.get_field_index(column), field)
    return schema


def _conform(table: pa.Table, schema: pa.Schema, categories: dict[str, list[str]]) -> pa.Table:
    """The part with the schema's columns, in its order and types."""
    for column, values in categories.items():
        dictionary = pa.array(values, pa.string())
        indices = pc.index_in(table[column].cast(pa.string()), value_set=dictionary)
        encoded = pa.DictionaryArray.from_arrays(
            indices.cast(_index_type(len(values))).combine_chunks(), dictionary)
        table = table.set_column(table.schema.get_field_index(column), column, encoded)
    return table.select(schema.names).cast(schema)


def _index_type(categories: int) -> pa.DataType:
    """The smallest integer type for the codes of so many categories, as pandas picks it."""
    if categories < 2**7:
        return pa.int8()
    return pa.int16() if categories < 2**15 else pa.int32()
