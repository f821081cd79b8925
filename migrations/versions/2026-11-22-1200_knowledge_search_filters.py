"""Knowledge search: the first tier no longer re-tests what its index condition already decides.

`knowledge_search_terms(...) @@ (q && reach && marked)` implies `search_vector @@ q` (the terms are the search
vector plus `^` title and `#` reach lexemes, which no query word matches) and `title_vector @@ titled` (the
`^` lexemes are exactly the title's, and `marked` is `titled` with each lexeme marked `^`). Testing them again
read every candidate's search vector from TOAST once more; `ts_rank` still reads it once. Results are the
same; the visibility filter is unchanged.

Revision ID: 20261122_knowledge_filters
Revises: 20261122_knowledge_search_speed
Create Date: 2026-11-22 12:00:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "20261122_knowledge_filters"
down_revision: str | None = "20261122_knowledge_search_speed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMPLIED = "\n      AND a.search_vector @@ q AND a.title_vector @@ titled AND "


def _previous() -> ModuleType:
    path = Path(__file__).with_name("2026-11-22-1100_knowledge_search_speed.py")
    spec = importlib.util.spec_from_file_location("knowledge_search_speed", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    before: str = _previous().SEARCH_FUNCTION
    assert IMPLIED in before
    op.execute(before.replace(IMPLIED, "\n      AND ", 1))


def downgrade() -> None:
    op.execute(_previous().SEARCH_FUNCTION)
