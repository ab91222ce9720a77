"""Turn pydantic's validation errors into planner-readable problems with field paths.

Pydantic reports locations as tuples and says "Extra inputs are not permitted" without naming the
keys that are permitted. We walk the schema along each location so that every problem names the
dotted path (``procedures[2].service.mean``) and what the planner may write instead.
"""

from __future__ import annotations

import types
import typing
from typing import Any, NamedTuple, get_args, get_origin

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from sim.scenario.distributions import DISTRIBUTION_NAMES
from sim.scenario.errors import NOTHING, Problem
from sim.scenario.misspelt import closest_key, misspelt_required, percent_hint


def problems_from(error: ValidationError, root: type[BaseModel], prefix: str = "") -> list[Problem]:
    """One Problem per pydantic error, with a dotted path and what is allowed there.

    A value that fits no member of a plain union (a number or a list of periods) gives one
    error per member; those become a single problem that lists what each member allows.
    """
    problems: dict[str, Problem] = {}
    errors = error.errors()
    misspelt = misspelt_required(errors, lambda loc: _known_keys(root, loc))
    for item in errors:
        loc = item["loc"]
        if item["type"] == "missing" and loc in misspelt:
            continue  # the key is there, misspelt: its problem says so
        member = _member_index(root, loc)
        if member is None:
            problem = _problem(item, root, prefix)
            problems.setdefault(f"{problem.path}|{problem.allowed}", problem)
            continue
        merged = _problem({**item, "loc": loc[:member]}, root, prefix)
        allowed = _member_allowed(item, _walk(root, loc[:member]).leaf)
        earlier = problems.get(merged.path)
        text = f"{earlier.allowed}; or {allowed}" if earlier else allowed
        problems[merged.path] = Problem(merged.path, item.get("input"), text)
    return list(problems.values())


def _known_keys(root: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed where an unknown key at ``loc`` stands."""
    parent = _walk(root, loc).model
    return model_keys(parent) if parent is not None else []


def _member_index(root: type[BaseModel], loc: tuple) -> int | None:
    """Where in loc pydantic names the member of a plain union it tried ('constrained-float'),
    found by following the schema: a key of the file is never taken for such a name."""
    current: Any = root
    for index, segment in enumerate(loc):
        current = unwrap(current)
        if segment == "[key]":
            return None
        if _is_union(current):
            member = _member_with_tag(current, segment)
            if member is None:
                return index
            current = member
            continue
        if is_model(current):
            field = field_by_key(current, segment)
            current = field.annotation if field else None
        elif get_origin(current) in (dict, list):
            current = get_args(current)[-1]
        else:
            return None
    return None


def _member_allowed(error: dict[str, Any], union: Any) -> str:
    """What the member of a plain union that gave this error allows: a number's whole range,
    a mapping's keys."""
    leaf = _failing_member(union, error["type"])
    if error["type"] in _WRONG_SHAPE and (shape := _shape(leaf)):
        return shape
    return _allowed(error, None, None, leaf)


# Pydantic's kinds of error for a value outside a number's bounds, and for a value that is not
# the number a field wants.
_RANGE_ERRORS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")
_NUMBER_ERRORS = (*_RANGE_ERRORS, "float_type", "int_type", "finite_number", "float_parsing",
                  "int_parsing", "int_from_float")
_BOUND_WORDS = {"ge": "greater than or equal to", "gt": "greater than",
                "le": "less than or equal to", "lt": "less than"}


def _failing_member(union: Any, kind: str) -> Any:
    """The member of a union that an error of this kind came from: the number for a number's
    errors, else the member that wants a mapping (None when neither is found)."""
    members = get_args(union) if _is_union(union) else []
    for member in members:
        if kind in _NUMBER_ERRORS and unwrap(member) in (int, float):
            return member
        if kind not in _NUMBER_ERRORS and _shape(member):
            return member
    return None


def _range(leaf: Any, field: FieldInfo | None) -> str | None:
    """Both bounds of a number, from the schema's constraints: 'greater than 0 and less than
    or equal to 100,000', so a planner who broke one bound sees the whole range."""
    bounds: dict[str, object] = {}
    for constraint in _constraints(leaf, field):
        for key in _BOUND_WORDS:
            if getattr(constraint, key, None) is not None:
                bounds.setdefault(key, getattr(constraint, key))
    words = [f"{_BOUND_WORDS[key]} {_bound_text(bounds[key])}" for key in _BOUND_WORDS
             if key in bounds]
    return " and ".join(words) or None


def _constraints(annotation: Any, field: FieldInfo | None) -> list[object]:
    """The constraint objects (Ge, Le, ...) of a field and of its annotation, through
    Annotated and Optional."""
    found = list(field.metadata) if field is not None else []
    pending = [annotation]
    while pending:
        current = pending.pop()
        if get_origin(current) is typing.Annotated:
            base, *metadata = get_args(current)
            pending.append(base)
            for meta in metadata:
                found += getattr(meta, "metadata", [meta])
        elif _is_union(current):
            pending += [member for member in get_args(current) if member is not type(None)]
    return found


def _bound_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _problem(error: dict[str, Any], root: type[BaseModel], prefix: str) -> Problem:
    loc = error["loc"]
    path_parts, field, parent, leaf = _walk(root, loc)
    path = join_path([prefix, *path_parts]) if prefix else join_path(path_parts)
    if error["type"] in _WRONG_SHAPE and (shape := _shape(leaf)):
        key = path_parts[-1] if path_parts and isinstance(path_parts[-1], str) else None
        return Problem(path, error.get("input"), shape + _rewritten(leaf, error.get("input"), key))
    return Problem(path, _value(error, loc), _allowed(error, field, parent, leaf))


def join_path(parts: list[str | int]) -> str:
    """Dotted path with list indices in brackets.

    >>> join_path(["procedures", 2, "service", "mean"])
    'procedures[2].service.mean'
    """
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "":
            text += f".{part}" if text else str(part)
    return text


def _value(error: dict[str, Any], loc: tuple) -> object:
    if error["type"] == "extra_forbidden":
        return loc[-1]
    if error["type"] == "missing":
        return NOTHING
    return error.get("input")


def _allowed(
    error: dict[str, Any], field: FieldInfo | None, parent: type | None, leaf: Any
) -> str:
    kind, message = error["type"], error["msg"]
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        context = error.get("ctx") or {}
        key = str(context.get("discriminator", "'dist'")).strip("'")
        tags = context.get("expected_tags") or ", ".join(DISTRIBUTION_NAMES)
        return _tag_text(key, str(tags).replace("'", ""))
    if kind == "extra_forbidden" and parent is not None:
        keys = model_keys(parent)
        guess = closest_key(str(error["loc"][-1]), keys)
        return ("one of the known keys: " + ", ".join(keys)
                + (f"; did you mean '{guess[0]}'?" if guess else ""))
    if kind == "missing":
        described = field is not None and field.description
        return "this field is required" + (f" ({field.description})" if described else "")
    if kind == "string_pattern_mismatch":
        return _pattern_text(leaf, field) or message
    if kind in _RANGE_ERRORS:
        return _range(leaf, field) or message
    if kind in ("float_type", "float_parsing") and (hint := percent_hint(error.get("input"))):
        return hint
    for lead in ("Input should be ", "Value error, ", "Assertion failed, "):
        if message.startswith(lead):
            return message[len(lead):]
    return message


def _tag_text(key: str, tags: str) -> str:
    return f"a '{key}' key, one of: {tags}"


# Pydantic's kinds of error for a value that is not a mapping where a model is expected.
_WRONG_SHAPE = ("model_type", "model_attributes_type")


def _shape(leaf: Any) -> str | None:
    """What a mapping must hold where the schema expects a model or a tagged union of models,
    in the planner's words instead of pydantic's ("a valid dictionary or instance of ...")."""
    leaf = unwrap(leaf)
    if is_model(leaf):
        keys = [f"{key} (required)" if info.is_required() else key
                for key, info in _fields(leaf)]
        return "a mapping with the keys " + ", ".join(keys)
    tagged = [_tags(member) for member in _members(leaf)]
    keys = {key for tags in tagged for key in tags}
    if tagged and all(tagged) and len(keys) == 1:
        key = keys.pop()
        return "a mapping with " + _tag_text(key, ", ".join(tags[key] for tags in tagged))
    return None


def _rewritten(leaf: Any, value: object, key: str | None) -> str:
    """'; write deadline: {working_days: 3}' when a lone number fits a mapping's one field.

    Every form suggested is checked against the schema, so a suggestion is never wrong.
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    adapter = TypeAdapter(leaf)
    valid = []
    for form in _forms(leaf, value):
        try:
            adapter.validate_python(form)
        except ValidationError:
            continue
        text = yaml.safe_dump(form, default_flow_style=True, sort_keys=False,
                              allow_unicode=True).strip()
        valid.append(f"{key}: {text}" if key else text)
    return "; write " + " or ".join(valid) if valid else ""


def _forms(annotation: Any, value: object) -> list[object]:
    """Mappings that hold value where annotation wants a mapping: a model gets it in its one
    required field besides its tag (a union: each member that has one); a plain field the
    number itself."""
    annotation = unwrap(annotation)
    if _is_union(annotation):
        return [form for member in _members(annotation) for form in _forms(member, value)]
    if not is_model(annotation):
        return [value]
    tags = _tags(annotation)
    rest = [(key, info) for key, info in _fields(annotation)
            if info.is_required() and key not in tags]
    if len(rest) != 1:
        return []
    key, info = rest[0]
    return [{**tags, key: inner} for inner in _forms(info.annotation, value)]


def _members(union: Any) -> list[Any]:
    union = unwrap(union)
    return [unwrap(member) for member in get_args(union)] if _is_union(union) else []


def _fields(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    return [(info.alias or name, info) for name, info in model.model_fields.items()]


def _tags(model: Any) -> dict[str, str]:
    """The required one-value fields of a model (`dist: exponential`), which name its kind."""
    if not is_model(model):
        return {}
    return {key: get_args(info.annotation)[0] for key, info in _fields(model)
            if info.is_required() and get_origin(info.annotation) is typing.Literal
            and len(get_args(info.annotation)) == 1}


def _pattern_text(leaf: Any, field: FieldInfo | None) -> str | None:
    """The human description of a text pattern: from the item type first, then the field."""
    candidates = list(get_args(leaf)[1:]) if get_origin(leaf) is typing.Annotated else []
    if field is not None:
        candidates += [*field.metadata, field]
    for meta in candidates:
        description = getattr(meta, "description", None)
        if description:
            return description
    return None


def model_keys(model: type[BaseModel]) -> list[str]:
    """The keys a file may write for a model, in schema order (aliases such as `from`)."""
    return [key for key, _ in _fields(model)]


class _Walk(NamedTuple):
    """Where a pydantic error location leads in the schema."""

    path: list[str | int]  # printable
    field: FieldInfo | None  # the last field on the way
    model: type | None  # the model that holds it
    leaf: Any  # the type found at the end


def _walk(root: type[BaseModel], loc: tuple) -> _Walk:
    """Follow loc through the schema: printable path, last field, its model, the leaf type."""
    parts: list[str | int] = []
    current: Any = root
    field: FieldInfo | None = None
    parent: type | None = None
    segments = list(loc)
    while segments:
        segment = segments.pop(0)
        current = unwrap(current)
        if get_origin(current) is dict and segments[:1] == ["[key]"]:
            segments.pop(0)  # pydantic marks a bad key with "[key]": the key is the problem
            current = get_args(current)[0]
            parts.append(segment)
        elif is_model(current):
            parent = current
            field = field_by_key(current, segment)
            current = field.annotation if field else None
            parts.append(segment)
        elif _is_union(current):
            member = _member_with_tag(current, segment)
            if member is not None:  # discriminated union: the tag is not part of the path
                current = member
                continue
            parts.append(segment)
            current = None
        elif get_origin(current) is dict:
            current = get_args(current)[1]
            parts.append(segment)
        elif get_origin(current) is list:
            current = get_args(current)[0]
            parts.append(segment)
        else:
            parts.append(segment)
            current = None
    if is_model(unwrap(current)):
        parent = unwrap(current)
    return _Walk(parts, field, parent, current)


def field_by_key(model: type[BaseModel], key: object) -> FieldInfo | None:
    """The field a document key names: its name, or its alias (`from` for `start`)."""
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional wrappers down to the meaningful type."""
    while True:
        if get_origin(annotation) is typing.Annotated:
            annotation = get_args(annotation)[0]
            continue
        if _is_union(annotation):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (typing.Union, types.UnionType)


def is_model(annotation: Any) -> bool:
    """Whether an (unwrapped) annotation is a schema model, i.e. a mapping of fields."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _member_with_tag(union: Any, tag: object) -> type[BaseModel] | None:
    """The member of a discriminated union (by `dist` or `kind`) that pydantic names by tag."""
    for member in get_args(union):
        member = unwrap(member)
        if is_model(member):
            for key in ("dist", "kind"):
                field = member.model_fields.get(key)
                if field is not None and get_args(field.annotation) == (tag,):
                    return member
        elif _is_union(member):
            found = _member_with_tag(member, tag)
            if found is not None:
                return found
    return None
