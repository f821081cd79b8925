"""Expected failures as data: the `ValidationErrors` member of every mutation's result union."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

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
    """Run one service call in a savepoint: on an expected failure nothing of it remains."""
    try:
        acting = ctx.require_acting()
        async with ctx.session.begin_nested():
            return await change(acting)
    except DomainError as error:
        return ValidationErrors.of(error)
