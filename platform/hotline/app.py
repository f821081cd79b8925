"""The Litestar application: GraphQL, health, readiness, metrics and the console's built files."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Response, get
from litestar.static_files import create_static_files_router
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from hotline.api.http import NOBODY, graphql_get, graphql_post
from hotline.api.schema import build_schema
from hotline.kernel import runtime
from hotline.kernel.settings import PROJECT_ROOT, Settings, get_settings
from hotline.knowledge.public import PublicKnowledgeController, enterprise_router
from hotline.workorders.public import public_router

CONSOLE_DIST = PROJECT_ROOT / "frontend" / "dist"


@get("/healthz", sync_to_thread=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz")
async def readyz() -> Response[dict[str, str]]:
    try:
        async with runtime.database().transaction(NOBODY) as session:
            await session.execute(text("SELECT 1"))
    except Exception as error:  # readiness reports, it does not raise
        return Response({"status": "unavailable", "reason": type(error).__name__}, status_code=503)
    return Response({"status": "ready"})


@get("/metrics", sync_to_thread=False)
def metrics() -> Response[bytes]:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def create_app(settings: Settings | None = None, **lifespan: Any) -> Litestar:
    """The API; `on_startup`/`on_shutdown` hooks may add the in-process worker, relay and scheduler."""
    settings = settings or get_settings()
    handlers: list[Any] = [graphql_post, graphql_get, healthz, readyz, metrics, public_router(),
                           PublicKnowledgeController, enterprise_router()]
    if (CONSOLE_DIST / "index.html").exists():
        handlers.append(create_static_files_router(path="/", directories=[CONSOLE_DIST], html_mode=True,
                                                   name="console"))
    app = Litestar(route_handlers=handlers, on_shutdown=[runtime.close_database, *lifespan.get("on_shutdown", [])],
                   on_startup=lifespan.get("on_startup", []))
    app.state.schema = build_schema(settings.api)
    return app
