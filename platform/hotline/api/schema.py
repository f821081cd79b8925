"""The GraphQL schema: one query and one mutation mixin per domain, with production limits."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from hotline.calendars.schema import CalendarMutation, CalendarQuery
from hotline.kernel.settings import ApiSettings
from hotline.tenancy.schema import TenancyMutation, TenancyQuery
from hotline.workorders.policy_schema import DeadlinePolicyMutation, DeadlinePolicyQuery
from hotline.workorders.schema import WorkOrderMutation, WorkOrderQuery


@strawberry.type
class Query(TenancyQuery, CalendarQuery, DeadlinePolicyQuery, WorkOrderQuery):
    pass


@strawberry.type
class Mutation(TenancyMutation, CalendarMutation, DeadlinePolicyMutation, WorkOrderMutation):
    pass


def _unexpected(error: GraphQLError) -> bool:
    """Mask exceptions raised while resolving; keep parse, validation and permission errors, which are
    meant for the caller."""
    return error.original_error is not None and not isinstance(error.original_error, StrawberryGraphQLError)


def build_schema(settings: ApiSettings) -> strawberry.Schema:
    # Factories, so that each request gets fresh extension instances; the caches are shared by design.
    parser_cache, validation_cache = ParserCache(maxsize=256), ValidationCache(maxsize=256)
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_depth),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: parser_cache,
        lambda: validation_cache,
        lambda: MaskErrors(should_mask_error=_unexpected),
    ]
    if not settings.introspection:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions,
                             config=StrawberryConfig(auto_camel_case=True))


def schema_sdl() -> str:
    """The contract written to graphql/schema.graphql (a test fails when it drifts)."""
    return build_schema(ApiSettings(introspection=True)).as_str() + "\n"
