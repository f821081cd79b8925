"""The GraphQL schema: one query and one mutation mixin per domain, with production limits."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import strawberry
from graphql import GraphQLError, parse
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import validate_document

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


_parse = functools.lru_cache(maxsize=256)(parse)
_validate = functools.lru_cache(maxsize=256)(validate_document)


class OperationLimits(SchemaExtension):
    """The token limit, our validation rules, and the parse and validation caches, in one extension (what
    Strawberry's MaxTokensLimiter, AddValidationRules, ParserCache and ValidationCache do apart): every
    extension costs its hooks on every request (measured on intake, docs/workorders.md)."""

    def __init__(self, rules: tuple[type[ASTValidationRule], ...], max_tokens: int) -> None:
        self.rules, self.max_tokens = rules, max_tokens

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        context.validation_rules = context.validation_rules + self.rules
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.graphql_document = _parse(context.query, **context.parse_options)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        # keyed by the rule classes too: the same classes are added to every request. `_schema` (the
        # graphql-core schema) is what Strawberry's own ValidationCache passes.
        context.pre_execution_errors = _validate(context.schema._schema, context.graphql_document,
                                                 context.validation_rules)
        yield


def build_schema(settings: ApiSettings) -> strawberry.Schema:
    rules = (*QueryDepthLimiter(max_depth=settings.max_depth).validation_rules,
             *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules)
    if not settings.introspection:
        rules = (*rules, NoSchemaIntrospectionCustomRule)
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: OperationLimits(rules, settings.max_tokens),
        lambda: MaskErrors(should_mask_error=_unexpected),
        SoleMutation,
    ]
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions,
                             config=StrawberryConfig(auto_camel_case=True))


def schema_sdl() -> str:
    """The contract written to graphql/schema.graphql (a test fails when it drifts)."""
    return build_schema(ApiSettings(introspection=True)).as_str() + "\n"
