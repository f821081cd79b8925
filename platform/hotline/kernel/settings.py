"""Settings, one dataclass per concern, filled from the environment.

Every variable is documented in the README with its default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class DatabaseSettings:
    # The owner's URL: migrations and role setup run with it. Empty means embedded PostgreSQL.
    url: str = field(default_factory=lambda: _env("HOTLINE_DATABASE_URL", ""))
    data_dir: Path = field(default_factory=lambda: Path(_env("HOTLINE_DATA_DIR", str(PROJECT_ROOT / ".data"))))
    app_role: str = "hotline_app"
    system_role: str = "hotline_system"
    app_password: str = field(default_factory=lambda: _env("HOTLINE_APP_DB_PASSWORD", "hotline-app-dev"))
    system_password: str = field(default_factory=lambda: _env("HOTLINE_SYSTEM_DB_PASSWORD", "hotline-system-dev"))
    pool_size: int = field(default_factory=lambda: _env_int("HOTLINE_DB_POOL_SIZE", 10))


@dataclass(frozen=True)
class AuthSettings:
    lockout_attempts: int = field(default_factory=lambda: _env_int("HOTLINE_LOCKOUT_ATTEMPTS", 5))
    lockout_minutes: int = field(default_factory=lambda: _env_int("HOTLINE_LOCKOUT_MINUTES", 15))
    idle_timeout_minutes: int = field(default_factory=lambda: _env_int("HOTLINE_IDLE_TIMEOUT_MINUTES", 30))
    caller_cache_seconds: float = field(
        default_factory=lambda: float(_env("HOTLINE_CALLER_CACHE_SECONDS", "5"))
    )
    cookie_secure: bool = field(default_factory=lambda: _env_bool("HOTLINE_COOKIE_SECURE", True))
    # Key for the keyed hash and encryption of personal data (phone and ID numbers).
    secret_key: str = field(default_factory=lambda: _env("HOTLINE_SECRET_KEY", "dev-only-secret-change-me"))


@dataclass(frozen=True)
class ApiSettings:
    host: str = field(default_factory=lambda: _env("HOTLINE_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: _env_int("HOTLINE_PORT", 8000))
    graphql_ide: bool = field(default_factory=lambda: _env_bool("HOTLINE_GRAPHQL_IDE", False))
    introspection: bool = field(default_factory=lambda: _env_bool("HOTLINE_GRAPHQL_INTROSPECTION", False))
    max_depth: int = field(default_factory=lambda: _env_int("HOTLINE_GRAPHQL_MAX_DEPTH", 12))
    max_tokens: int = field(default_factory=lambda: _env_int("HOTLINE_GRAPHQL_MAX_TOKENS", 4000))
    max_aliases: int = field(default_factory=lambda: _env_int("HOTLINE_GRAPHQL_MAX_ALIASES", 30))


@dataclass(frozen=True)
class JobSettings:
    # amqp://… selects RabbitMQ; empty selects the in-process broker (single-process mode only).
    broker_url: str = field(default_factory=lambda: _env("HOTLINE_BROKER_URL", ""))
    relay_interval_seconds: float = field(
        default_factory=lambda: float(_env("HOTLINE_RELAY_INTERVAL_SECONDS", "0.5"))
    )
    scheduler_interval_seconds: float = field(
        default_factory=lambda: float(_env("HOTLINE_SCHEDULER_INTERVAL_SECONDS", "30"))
    )


@dataclass(frozen=True)
class Settings:
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    jobs: JobSettings = field(default_factory=JobSettings)
    log_level: str = field(default_factory=lambda: _env("HOTLINE_LOG_LEVEL", "INFO"))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
