"""GraphQL operations and steps shared by the evaluation tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hotline.evaluation import service
from hotline.evaluation.models import EvaluationAssessment
from hotline.kernel import runtime
from hotline.kernel.context import Actor
from hotline.kernel.scope import TenantScope
from tests.conftest import Api

ERRORS = "... on ValidationErrors { errors { path message code } }"
DEFINE = ("mutation($input: DefineEvaluationSchemeInput!) { defineEvaluationScheme(input: $input) { __typename "
          "... on EvaluationSchemeVersion { id version status effectiveFrom } " + ERRORS + " } }")
ASSESSMENT_FIELDS = """
id period status runs schemeVersion asOf appealUntil limited
hotlineFigures { code numerator denominator value }
results { unit { code kind } peerGroup rank groupSize baseScore bonus penalty total
          figures { code numerator denominator value } indicators { code weight value points } }
"""
ASSESSMENT = ("query($period: String!, $tenant: String) { evaluationAssessment(period: $period, tenantCode: $tenant) "
              "{ __typename ... on EvaluationAssessment {" + ASSESSMENT_FIELDS + "} " + ERRORS + " } }")


def indicator(code: str, weight: float, formula: str | None = None, name: str | None = None) -> dict[str, Any]:
    return {"code": code, "name": name or code, "weight": weight, "formula": formula}


async def define(api: Api, as_user: str, tenant: str, definition: dict[str, Any], effective_from: str,
                 *, publish: bool = True, mandatory: bool = False, code: str = "kh") -> dict[str, Any]:
    data = await api.gql(DEFINE, {"input": {"code": code, "name": "考核方案", "definition": definition,
                                            "effectiveFrom": effective_from, "publish": publish,
                                            "mandatory": mandatory, "tenantCode": tenant}}, as_user=as_user)
    result: dict[str, Any] = data["defineEvaluationScheme"]
    return result


async def compute(tenant_id: uuid.UUID, period: str, as_of: dt.datetime | None = None) -> EvaluationAssessment:
    """The job's computation, run directly (as of now, or of a chosen moment)."""
    async with runtime.database().transaction(TenantScope.single(tenant_id)) as session:
        return await service.compute(session, TenantScope.single(tenant_id), tenant_id, period, Actor.system("test"),
                                     as_of=as_of)


def by_unit(assessment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["unit"]["code"]: r for r in assessment["results"]}


def figures(result: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {f["code"]: (f["numerator"], f["denominator"]) for f in result["figures"]}
