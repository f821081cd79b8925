"""Expected failures as data: the `ValidationErrors` member of every mutation's result union."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import strawberry
from graphql import DocumentNode, FieldNode, OperationDefinitionNode, OperationType
from strawberry.extensions import SchemaExtension

from hotline.api.context import Context
from hotline.kernel.acting import Acting
from hotline.kernel.errors import DomainError

T = TypeVar("T")


@strawberry.type(description="One problem with the input, at a field path a form can highlight.")
class FieldError:
    path: list[str]
    message: str
    code: str


@strawberry.type(description="The mutation changed nothing; these are the reasons.")
class ValidationErrors:
    errors: list[FieldError]

    @classmethod
    def of(cls, error: DomainError) -> ValidationErrors:
        return cls(errors=[FieldError(path=list(e.path), message=e.message, code=e.code) for e in error.errors])


async def read(ctx: Context, fn: Callable[[Acting], Awaitable[T]]) -> T | ValidationErrors:
    """A query with expected failures (bad arguments, not found) as data; no savepoint: it changes nothing."""
    try:
        return await fn(ctx.require_acting())
    except DomainError as error:
        return ValidationErrors.of(error)


async def attempt(ctx: Context, change: Callable[[Acting], Awaitable[T]]) -> T | ValidationErrors:
    """Run one service call so that on an expected failure nothing of it remains: in a savepoint, or,
    when it is the operation's only field, in the request's transaction, which then rolls back whole."""
    try:
        acting = ctx.require_acting()
        if ctx.sole_mutation:
            result = await change(acting)
            await ctx.session.flush()  # as leaving a savepoint does: the result's fields read what it wrote
            return result
        async with ctx.session.begin_nested():
            return await change(acting)
    except DomainError as error:
        ctx.roll_back = ctx.sole_mutation
        return ValidationErrors.of(error)


class SoleMutation(SchemaExtension):
    """Marks a mutation operation with one root field on the context (see `attempt`): the savepoint it
    saves is two round trips on every change a form or an agent makes."""

    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        if isinstance(ec.context, Context) and ec.graphql_document is not None:
            operation = _operation(ec.graphql_document, ec.operation_name)
            ec.context.sole_mutation = (
                operation is not None and operation.operation == OperationType.MUTATION
                and len(operation.selection_set.selections) == 1
                and isinstance(operation.selection_set.selections[0], FieldNode))
        yield


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)
