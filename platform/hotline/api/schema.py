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

from hotline.analytics.schema import AnalyticsMutation, AnalyticsQuery
from hotline.api.errors import SoleMutation
from hotline.calendars.schema import CalendarMutation, CalendarQuery
from hotline.dispatch.schema import DispatchMutation, DispatchQuery
from hotline.evaluation.schema import EvaluationMutation, EvaluationQuery
from hotline.kernel.settings import ApiSettings
from hotline.knowledge.schema import KnowledgeMutation, KnowledgeQuery
from hotline.tenancy.schema import TenancyMutation, TenancyQuery
from hotline.workorders.handling_schema import HandlingMutation
from hotline.workorders.policy_schema import DeadlinePolicyMutation, DeadlinePolicyQuery
from hotline.workorders.schema import WorkOrderMutation, WorkOrderQuery
from hotline.workorders.supervision_schema import SupervisionMutation, SupervisionQuery


@strawberry.type
class Query(TenancyQuery, CalendarQuery, DeadlinePolicyQuery, WorkOrderQuery, EvaluationQuery,
            AnalyticsQuery, DispatchQuery, SupervisionQuery, KnowledgeQuery):
    pass


@strawberry.type
class Mutation(TenancyMutation, CalendarMutation, DeadlinePolicyMutation, WorkOrderMutation, HandlingMutation,
               EvaluationMutation,
               AnalyticsMutation, DispatchMutation, SupervisionMutation, KnowledgeMutation):
    pass


def _unexpected(error: GraphQLError) -> bool:
    """Mask exceptions raised while resolving; keep parse, validation and permission errors, which are
    meant for the caller."""
    return error.original_error is not None and not isinstance(error.original_error, StrawberryGraphQLError)


def build_schema(settings: ApiSettings) -> strawberry.Schema:
    # The validation cache is keyed by the rule classes, so build them once and add the same classes to
    # every request; the extension instances themselves stay fresh per request.
    rules = [*QueryDepthLimiter(max_depth=settings.max_depth).validation_rules,
             *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules]
    if not settings.introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaskErrors(should_mask_error=_unexpected),
        SoleMutation,
    ]
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions,
                             config=StrawberryConfig(auto_camel_case=True))


def schema_sdl() -> str:
    """The contract written to graphql/schema.graphql (a test fails when it drifts)."""
    return build_schema(ApiSettings(introspection=True)).as_str() + "\n"
