"""The `hotline` command: run, migrate, tenants apply/export, worker, scheduler, schema."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from typing import Any

from hotline.kernel import migrate, runtime
from hotline.kernel.logging import configure_logging
from hotline.kernel.settings import PROJECT_ROOT, get_settings

SCHEMA_FILE = PROJECT_ROOT / "graphql" / "schema.graphql"
DEMO_ACCOUNTS = [
    ("js.admin", "江苏省 province admin"), ("nj.admin", "南京 city admin"), ("nj.agent", "南京 agent"),
    ("nj.dispatcher", "南京 dispatcher"), ("nj.xinjiekou", "新街口街道 unit handler"),
    ("nj.supervisor", "南京 supervisor"), ("nj.callback", "南京 callback agent"), ("sz.admin", "苏州 city admin"),
    ("yql.specialist", "一企来 policy specialist"),
]


def owner_url(keep_running: bool = True) -> tuple[str, Any]:
    """The configured database, or the embedded one (started now, stopped when this process exits)."""
    settings = get_settings().database
    if settings.url:
        return settings.url, None
    from hotline.kernel.embedded import start_embedded

    return start_embedded(settings.data_dir, stop_on_exit=keep_running)


def prepare_database(url: str) -> None:
    migrate.upgrade(url)
    migrate.set_role_passwords(url, get_settings().database)
    runtime.configure(url)


async def apply_catalogue(directory: Path) -> None:
    from hotline.tenancy import catalogue

    async with runtime.database().system_transaction() as session:
        report = await catalogue.apply(session, directory)
    await runtime.close_database()
    print(f"catalogue {directory.name}/: {vars(report)}", flush=True)


def cmd_run(args: argparse.Namespace) -> None:
    import uvicorn

    from hotline.app import create_app
    from hotline.workers import make_background

    url, _server = owner_url()
    prepare_database(url)
    asyncio.run(apply_catalogue(Path(args.catalogue)))
    settings = get_settings()
    background = make_background()
    app = create_app(settings, on_startup=[background.start], on_shutdown=[background.shutdown])
    address = f"http://{settings.api.host}:{settings.api.port}"
    print(f"\nLianxin 12345 is running at {address}  (GraphQL {address}/graphql, Ctrl-C stops everything)")
    print("Demo accounts (password lianxin-demo):")
    for login, what in DEMO_ACCOUNTS:
        print(f"  {login:<16} {what}")
    print(flush=True)
    uvicorn.run(app, host=settings.api.host, port=settings.api.port, log_level="warning")


def cmd_serve(args: argparse.Namespace) -> None:
    """The API alone (production: many of these behind a load balancer)."""
    import uvicorn

    from hotline.app import create_app

    url, _server = owner_url()
    runtime.configure(url)
    settings = get_settings()
    uvicorn.run(create_app(settings), host=settings.api.host, port=settings.api.port, log_level="warning")


def cmd_migrate(args: argparse.Namespace) -> None:
    url, _server = owner_url()
    if args.downgrade:
        migrate.downgrade(url, args.downgrade)
    else:
        prepare_database(url)
    print("migrations applied", flush=True)


def cmd_tenants(args: argparse.Namespace) -> None:
    from hotline.tenancy import catalogue

    url, _server = owner_url()
    prepare_database(url)
    directory = Path(args.directory)
    if args.action == "apply":
        try:
            asyncio.run(apply_catalogue(directory))
        except catalogue.CatalogueError as error:
            print("the catalogue was not applied; fix these entries:", file=sys.stderr)
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            raise SystemExit(1) from None
    else:
        asyncio.run(_export(directory))


async def _export(directory: Path) -> None:
    from hotline.tenancy import catalogue

    async with runtime.database().system_transaction() as session:
        written = await catalogue.export(session, directory)
    await runtime.close_database()
    print("\n".join(str(p) for p in written))


def cmd_worker(args: argparse.Namespace) -> None:
    from hotline.workers import make_background

    url, _server = owner_url()
    runtime.configure(url)
    asyncio.run(_until_signal(make_background(with_scheduler=False)))


def cmd_scheduler(args: argparse.Namespace) -> None:
    from hotline.kernel import scheduler
    from hotline.workers import load_tasks

    url, _server = owner_url()
    runtime.configure(url)
    load_tasks()

    async def main() -> None:
        stop = _stop_on_signal()
        await scheduler.run_scheduler(stop)

    asyncio.run(main())


def _stop_on_signal() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def _until_signal(background: Any) -> None:
    stop = _stop_on_signal()
    await background.start()
    await stop.wait()
    await background.shutdown()


def cmd_schema(args: argparse.Namespace) -> None:
    from hotline.api.schema import schema_sdl

    sdl = schema_sdl()
    if args.action == "write":
        SCHEMA_FILE.write_text(sdl, encoding="utf-8")
        print(f"wrote {SCHEMA_FILE.relative_to(PROJECT_ROOT)}")
    elif SCHEMA_FILE.read_text(encoding="utf-8") != sdl:
        raise SystemExit("graphql/schema.graphql is out of date: run `hotline schema write`")


def main(argv: list[str] | None = None) -> None:
    configure_logging(get_settings().log_level)
    parser = argparse.ArgumentParser(prog="hotline", description="Lianxin 12345")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="everything in one process (embedded PostgreSQL unless configured)")
    run.add_argument("--catalogue", default=str(PROJECT_ROOT / "tenants"))
    run.set_defaults(fn=cmd_run)
    sub.add_parser("serve", help="the API alone").set_defaults(fn=cmd_serve)
    mig = sub.add_parser("migrate", help="apply (or --downgrade REV) the migrations")
    mig.add_argument("--downgrade")
    mig.set_defaults(fn=cmd_migrate)
    ten = sub.add_parser("tenants", help="apply or export the tenant catalogue")
    ten.add_argument("action", choices=["apply", "export"])
    ten.add_argument("directory")
    ten.set_defaults(fn=cmd_tenants)
    sub.add_parser("worker", help="Dramatiq worker and outbox relay").set_defaults(fn=cmd_worker)
    sub.add_parser("scheduler", help="periodic sweeps (one leader by advisory lock)").set_defaults(fn=cmd_scheduler)
    sch = sub.add_parser("schema", help="write or check graphql/schema.graphql")
    sch.add_argument("action", choices=["write", "check"])
    sch.set_defaults(fn=cmd_schema)
    args = parser.parse_args(argv)
    args.fn(args)


if __name__ == "__main__":
    main()
