"""Applying migrations (as the owner) and setting the login roles' passwords."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, pool, text

import hotline.analytics.models
import hotline.calendars.models
import hotline.dispatch.models
import hotline.evaluation.models
import hotline.kernel.audit
import hotline.kernel.outbox
import hotline.knowledge.models
import hotline.tenancy.models
import hotline.workorders.handling_models
import hotline.workorders.models
import hotline.workorders.policy
import hotline.workorders.supervision_models  # noqa: F401  (registers the tables on the metadata)
from hotline.kernel.database import driver_url
from hotline.kernel.models import Base
from hotline.kernel.settings import PROJECT_ROOT, DatabaseSettings

target_metadata = Base.metadata


def alembic_config(owner_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["owner_url"] = owner_url
    return config


def upgrade(owner_url: str, revision: str = "heads") -> None:
    """Apply every branch: domains developed side by side add independent heads (see docs/CONVENTIONS.md)."""
    command.upgrade(alembic_config(owner_url), revision)


def downgrade(owner_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(owner_url), revision)


def set_role_passwords(owner_url: str, settings: DatabaseSettings) -> None:
    """The migration creates the login roles; their passwords come from the settings."""
    engine = create_engine(driver_url(owner_url), poolclass=pool.NullPool)
    with engine.begin() as conn:
        for role, password in ((settings.app_role, settings.app_password),
                               (settings.system_role, settings.system_password)):
            quoted = conn.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
            conn.execute(text(f"ALTER ROLE {role} PASSWORD {quoted}"))
    engine.dispose()
