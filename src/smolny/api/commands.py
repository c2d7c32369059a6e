"""One POST endpoint per command in ``COMMANDS``, generated from the command dataclasses.

Each command's request schema is a pydantic model built from the dataclass's fields without
``actor``: tuples become lists, dicts stay free-form JSON objects, defaults carry over, and the
field docstrings in commands.py become the schema's descriptions.  A command added to
``COMMANDS`` later gets its endpoint, its schema and its documentation with no code here.

The models are strict and forbid unknown fields: a ballot's choices must be strings, and a
body naming an ``actor`` is refused rather than silently ignored, so a client that believes it
can act for someone else learns at once that it cannot.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import itertools
import textwrap
import types
import typing
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from smolny import canonical
from smolny.constitution.commands import COMMANDS, CastSecretBallot, Command
from smolny.constitution.secret import preverify
from smolny.store.service import current_state, execute

from . import problems
from .auth import MEMBER


class EntryIndex(Schema):
    seq: int = Field(description="The entry's index in the record (its Merkle leaf index).")
    type: str = Field(description="The event type, e.g. member_joined.")
    at: str = Field(description="When the command was decided (UTC, record format).")


class Receipt(Schema):
    """The entries the command appended to the record, in order."""

    entries: list[EntryIndex]


def _json_type(hint: Any) -> Any:
    """The JSON-side type of a command field: tuples become lists, the rest as it is."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple:
        item = args[0] if args else Any
        return list[_json_type(item)]  # type: ignore[misc]
    if origin in (types.UnionType, typing.Union):
        return typing.Union[tuple(_json_type(a) for a in args)]  # noqa: UP007
    if origin is list:
        return list[_json_type(args[0])] if args else list  # type: ignore[misc]
    return hint


def _recordable(value: Any) -> Any:
    """Refuse what the record cannot hold (floats, integers beyond 2**53) as a bad request.

    Free-form objects (a federation's ``params``, a motion's ``effect``) reach the events
    as they are; a float there would otherwise fail only when the entry is encoded.
    """
    try:
        canonical.encode(value)
    except canonical.NonCanonicalValue as exc:
        raise ValueError(f'{exc}; write decimals and fractions as strings, such as "1/5"') from None
    return value


def _from_json(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple and isinstance(value, list):
        return tuple(value)
    if origin in (types.UnionType, typing.Union) and isinstance(value, list):
        tuple_arm = next((a for a in typing.get_args(hint) if typing.get_origin(a) is tuple), None)
        if tuple_arm is not None:
            return tuple(value)
    return value


def field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings (a string right after a field) of a class and its bases."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):
            continue
        tree = ast.parse(source)
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for node, following in itertools.pairwise(body):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[node.target.id] = inspect.cleandoc(following.value.value).replace("``", "`")
    return docs


def _class_doc(cls: type) -> str | None:
    doc = cls.__doc__
    # A dataclass without a docstring gets its signature as one; that says nothing new.
    if not doc or doc.startswith(f"{cls.__name__}("):
        return None
    return inspect.cleandoc(doc)


def request_model(name: str, cls: type[Command]) -> type[BaseModel]:
    """The request body schema of one command."""
    hints = _hints(cls)
    docs = field_docs(cls)
    definitions: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name == "actor":
            continue
        kwargs: dict[str, Any] = {}
        if f.name in docs:
            kwargs["description"] = docs[f.name]
        if f.default is not dataclasses.MISSING:
            # A tuple default is a list on the JSON side, as _json_type makes the field.
            default = f.default
            kwargs["default"] = list(default) if isinstance(default, tuple) else default
        elif f.default_factory is not dataclasses.MISSING:
            kwargs["default_factory"] = f.default_factory
        json_type = Annotated[_json_type(hints[f.name]), AfterValidator(_recordable)]
        definitions[f.name] = (json_type, Field(**kwargs))
    model = create_model(
        f"{cls.__name__}Command",
        __config__=ConfigDict(extra="forbid", strict=True),
        __doc__=_class_doc(cls) or f"The arguments of {name}; the actor is whoever signs in.",
        **definitions,
    )
    return typing.cast(type[BaseModel], model)


@functools.cache
def _hints(cls: type[Command]) -> dict[str, Any]:
    """A command's field types, resolved once: ``typing.get_type_hints`` evaluates every
    annotation string again on each call (compiling it), which was about 50 µs of every vote
    cast through the API (bench/congress.py)."""
    return typing.get_type_hints(cls)


def build(cls: type[Command], actor: str, payload: BaseModel) -> Command:
    hints = _hints(cls)
    values = {k: _from_json(hints[k], v) for k, v in payload.model_dump().items()}
    return cls(actor=actor, **values)


def receipt(entries: list[Any]) -> dict[str, Any]:
    return {"entries": [{"seq": e.seq, "type": e.type, "at": e.at} for e in entries]}


def _endpoint(name: str, cls: type[Command]) -> Any:
    model = request_model(name, cls)

    def view(request: HttpRequest, payload: Any) -> Status[Any]:
        command = build(cls, request.auth.get_username(), payload)
        if isinstance(command, CastSecretBallot):
            # As the booth does (pages/views/booth.cast): the ballot's proofs are verified
            # here, in this request's thread, not inside the record's serial commit.
            preverify(current_state(), command.subject, command.ballot)
        return Status(201, receipt(execute(command)))

    view.__name__ = f"command_{name}"
    view.__qualname__ = view.__name__
    view.__doc__ = (
        _class_doc(cls) or f"The {name.replace('_', ' ')} command."
    ) + "\n\nThe actor is the authenticated member. Answers with the entries appended."
    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest
            ),
            inspect.Parameter("payload", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=model),
        ]
    )
    view.__annotations__ = {"request": HttpRequest, "payload": model, "return": Status}
    return view


def router() -> Router:
    r = Router(tags=["commands"])
    for name, cls in COMMANDS.items():
        r.post(
            f"/{name}",
            response={201: Receipt},
            auth=MEMBER,
            summary=name.replace("_", " ").capitalize(),
            openapi_extra=problems.responses(401, 403, 404, 409, 422),
        )(_endpoint(name, cls))
    return r
