"""Knowledge search: the first tier ranks by the title, and search vectors stay in the table's pages.

The first tier holds the articles whose title shares a word with the query; ranking them by their search
vector read each candidate's vector out of TOAST (a common word has thousands of candidates), which was most
of a query's time at 100,000 articles. The title vector is small and read with the row; among articles
whose titles match, the title's own match is also the better order for an agent scanning the list. The
second tier (text matches) still ranks by the search vector among at most 500 candidates.

`search_vector` gets STORAGE MAIN: compressed in the row where it fits, out of line only when it must.

Revision ID: 20261122_knowledge_title_rank
Revises: 20261122_knowledge_filters
Create Date: 2026-11-22 14:00:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "20261122_knowledge_title_rank"
down_revision: str | None = "20261122_knowledge_filters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BODY_RANK = "ts_rank('{0.05, 0.2, 0.4, 1.0}', a.search_vector, coalesce(r, q))::real"
TITLE_RANK = "ts_rank('{0.05, 0.2, 0.4, 1.0}', a.title_vector, coalesce(r, q))::real"


def _module(name: str) -> ModuleType:
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(path.stem.replace("-", "_"), path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _previous() -> str:
    speed = _module("2026-11-22-1100_knowledge_search_speed.py")
    filters = _module("2026-11-22-1200_knowledge_search_filters.py")
    function: str = speed.SEARCH_FUNCTION.replace(filters.IMPLIED, "\n      AND ", 1)
    return function


def upgrade() -> None:
    before = _previous()
    assert before.count(BODY_RANK) == 2
    op.execute(before.replace(BODY_RANK, TITLE_RANK, 1))  # the first RETURN QUERY is the title tier
    op.execute("ALTER TABLE knowledge_articles ALTER COLUMN search_vector SET STORAGE MAIN")


def downgrade() -> None:
    op.execute("ALTER TABLE knowledge_articles ALTER COLUMN search_vector SET STORAGE EXTENDED")
    op.execute(_previous())
