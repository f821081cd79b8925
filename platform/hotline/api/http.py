"""The HTTP edge of GraphQL: authenticate, open the one transaction, execute, commit or roll back."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import strawberry
import structlog
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException
from litestar.params import JSONBody
from prometheus_client import Counter, Histogram
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hotline.api.context import Context
from hotline.api.dataloaders import Loaders
from hotline.kernel import runtime
from hotline.kernel.acting import Acting
from hotline.kernel.context import Subject
from hotline.kernel.scope import TenantScope
from hotline.kernel.settings import get_settings
from hotline.tenancy import signin
from hotline.tenancy.schema import SESSION_COOKIE

log = structlog.get_logger(__name__)
TENANT_HEADER = "x-hotline-tenant"
NOBODY = TenantScope(uuid.UUID(int=0), frozenset())  # fail closed: sees no tenant's rows
REQUESTS = Counter("hotline_graphql_requests_total", "GraphQL requests", ["outcome"])
LATENCY = Histogram("hotline_graphql_seconds", "GraphQL request duration")


class _Rollback(Exception):
    def __init__(self, result: ExecutionResult) -> None:
        self.result = result


def _token(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(SESSION_COOKIE)


async def resolve_caller(request: Request[Any, Any, Any]) -> tuple[Subject | None, Acting | None]:
    token = _token(request)
    if not token:
        return None, None
    tenant_code = request.headers.get(TENANT_HEADER)
    cached = signin.CALLERS.get(token, tenant_code)
    if cached is not None:
        return cached
    settings = get_settings().auth
    async with runtime.database().system_transaction() as session:
        subject = await signin.authenticate(session, settings, token)
        if subject is None:
            return None, None
        acting = await signin.acting_in(session, subject, tenant_code)
    signin.CALLERS.put(token, tenant_code, subject, acting, settings.caller_cache_seconds)
    return subject, acting


async def execute(request: Request[Any, Any, Any], body: dict[str, Any], *, allow_mutations: bool) -> Response[Any]:
    schema: strawberry.Schema = request.app.state.schema
    started = time.perf_counter()
    request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
    structlog.contextvars.clear_contextvars()
    subject, acting = await resolve_caller(request)
    structlog.contextvars.bind_contextvars(
        request_id=request_id, subject=subject.login if subject else None,
        tenant_id=str(acting.tenant_id) if acting else None)
    db = runtime.database()
    cookies: list[tuple[str, str | None]] = []
    allowed = {OperationType.QUERY, OperationType.MUTATION} if allow_mutations else {OperationType.QUERY}
    try:
        async with db.transaction(acting.scope if acting else NOBODY) as session:
            ctx = Context(db=db, session=session, settings=get_settings(), subject=subject, acting=acting,
                          loaders=Loaders(session, acting.scope if acting else NOBODY), cookies=cookies)
            result = await schema.execute(body.get("query") or "", variable_values=body.get("variables"),
                                          context_value=ctx, operation_name=body.get("operationName"),
                                          allowed_operation_types=allowed)
            if result.errors or ctx.roll_back:
                raise _Rollback(result)  # an unexpected failure, or a sole mutation's, leaves nothing behind
    except _Rollback as rollback:
        result = rollback.result
    except InvalidOperationTypeError:
        raise HTTPException(status_code=405, detail="mutations are accepted over POST only") from None
    REQUESTS.labels("error" if result.errors else "ok").inc()
    LATENCY.observe(time.perf_counter() - started)
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [e.formatted for e in result.errors]
    response: Response[Any] = Response(payload, headers={"x-request-id": request_id})
    response.cookies.extend(_cookies(cookies))
    return response


def _cookies(changes: list[tuple[str, str | None]]) -> list[Cookie]:
    secure = get_settings().auth.cookie_secure
    return [Cookie(key=name, value=value or "", httponly=True, secure=secure, samesite="lax", path="/",
                   max_age=None if value else 0) for name, value in changes]


@post("/graphql", status_code=200)
async def graphql_post(request: Request[Any, Any, Any], data: JSONBody[dict[str, Any]]) -> Response[Any]:
    return await execute(request, data, allow_mutations=True)


@get("/graphql")
async def graphql_get(request: Request[Any, Any, Any]) -> Response[Any]:
    """Queries only: a mutation over GET is refused (it could be triggered by a link)."""
    query = request.query_params.get("query")
    if not query:
        if get_settings().api.graphql_ide:
            from strawberry.http.ide import get_graphql_ide_html

            return Response(get_graphql_ide_html(), media_type="text/html")
        raise HTTPException(status_code=400, detail="send a query")
    variables = request.query_params.get("variables")
    body = {"query": query, "operationName": request.query_params.get("operationName"),
            "variables": json.loads(variables) if variables else None}
    return await execute(request, body, allow_mutations=False)
