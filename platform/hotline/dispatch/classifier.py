"""The category and lead-unit classifier of a tenant: jieba words, TF-IDF, logistic regression.

Trained from the tenant's completed orders and imported history (each tenant learns from its own data
only), by the scheduled job and on demand; the accuracy reported is k-fold cross-validated. The model
is stored as bytes in `dispatch_classifiers` (written only by `train` in this code base) and kept
decoded in memory per process.
"""

from __future__ import annotations

import asyncio
import io
import logging
import pickle
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jieba
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.dispatch import repository as repo
from hotline.dispatch.models import ClassifierModel
from hotline.kernel import config_cache
from hotline.kernel.errors import DomainError
from hotline.kernel.ids import new_id
from hotline.kernel.scope import TenantScope

jieba.setLogLevel(logging.WARNING)
MIN_SAMPLES = 10
MAX_SAMPLES = 20_000
FOLDS = 5
_KIND = "dispatch_classifier"
_loaded: dict[uuid.UUID, Trained] = {}
_STOP = frozenset("的了在是和与及或我你他她它们有就也都很请帮这那个一")


def terms(text: str) -> list[str]:
    """Words of a Chinese text (jieba), without punctuation, blanks and the commonest particles."""
    return [w for w in jieba.lcut(text.lower()) if w.strip() and (w.isalnum() or len(w) > 1) and w not in _STOP]


def words(joined: str) -> list[str]:
    """The analyzer of the stored vectoriser: texts are segmented once, before fitting."""
    return joined.split(" ")


@dataclass(frozen=True)
class Suggestions:
    categories: list[tuple[str, float]]
    units: list[tuple[str, float]]


@dataclass
class Trained:
    vectorizer: Any
    categories: Any  # LogisticRegression or None when one class only
    units: Any
    only_category: str | None = None
    only_unit: str | None = None
    version: str = ""  # the id of its `dispatch_classifiers` row, set when loaded or trained

    def suggest(self, text: str, top: int = 3) -> Suggestions:
        x = self.vectorizer.transform([" ".join(terms(text))])
        return Suggestions(_top(self.categories, x, top, self.only_category), _top(self.units, x, top, self.only_unit))

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()


def _top(model: Any, x: Any, top: int, only: str | None) -> list[tuple[str, float]]:
    if model is None:
        return [(only, 1.0)] if only else []
    probabilities = model.predict_proba(x)[0]
    ranked = sorted(zip(model.classes_, probabilities, strict=True), key=lambda p: -p[1])[:top]
    return [(str(label), float(p)) for label, p in ranked]


@dataclass(frozen=True)
class Report:
    samples: int
    category_accuracy: float | None
    unit_accuracy: float | None
    folds: int


def _fit(x: Any, labels: Sequence[str]) -> tuple[Any, str | None]:
    if len(set(labels)) < 2:
        return None, labels[0] if labels else None
    model = LogisticRegression(max_iter=2000, C=10.0)
    model.fit(x, labels)
    return model, None


def _cv(texts: Sequence[str], labels: Sequence[str]) -> tuple[float | None, int]:
    counts = Counter(labels)
    if len(counts) < 2 or len(labels) < MIN_SAMPLES:
        return None, 0
    folds = min(FOLDS, len(labels))
    pipeline = make_pipeline(TfidfVectorizer(analyzer=words, sublinear_tf=True),
                             LogisticRegression(max_iter=2000, C=10.0))
    scores = cross_val_score(pipeline, list(texts), list(labels), cv=KFold(folds, shuffle=True, random_state=7))
    return float(scores.mean()), folds


def fit(samples: Sequence[tuple[str, str, str | None]]) -> tuple[Trained, Report]:
    """Train on (text, category code, lead unit code or None); raises DomainError when too few."""
    if len(samples) < MIN_SAMPLES:
        raise DomainError.one((), f"at least {MIN_SAMPLES} completed or imported orders are needed, "
                                  f"found {len(samples)}", "not_enough_data")
    texts = [" ".join(terms(t)) for t, _, _ in samples]
    categories = [c for _, c, _ in samples]
    with_unit = [(text, u) for text, (_, _, u) in zip(texts, samples, strict=True) if u]
    vectorizer = TfidfVectorizer(analyzer=words, sublinear_tf=True)
    x = vectorizer.fit_transform(texts)
    category_model, only_category = _fit(x, categories)
    unit_texts, unit_labels = [t for t, _ in with_unit], [u for _, u in with_unit]
    unit_model, only_unit = _fit(vectorizer.transform(unit_texts), unit_labels) if with_unit else (None, None)
    category_accuracy, folds = _cv(texts, categories)
    unit_accuracy, _ = _cv(unit_texts, unit_labels)
    return (Trained(vectorizer, category_model, unit_model, only_category, only_unit),
            Report(len(samples), category_accuracy, unit_accuracy, folds))


async def train(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, trigger: str) -> ClassifierModel:
    """Retrain the tenant's classifier from its completed orders and imported history."""
    samples = (await repo.training_orders(session, scope, tenant_id, MAX_SAMPLES)
               + await repo.history_orders(session, scope, tenant_id, MAX_SAMPLES))
    trained, report = await asyncio.to_thread(fit, samples[:MAX_SAMPLES])
    row = ClassifierModel(tenant_id=tenant_id, id=new_id(), samples=report.samples,
                          category_accuracy=report.category_accuracy, unit_accuracy=report.unit_accuracy,
                          folds=report.folds, trigger=trigger, model=trained.dumps())
    session.add(row)
    await session.flush()
    trained.version = str(row.id)
    _loaded[row.id] = trained
    return row


async def current(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Trained | None:
    """The tenant's newest model, decoded once per process."""
    cached = config_cache.get(session, _KIND, tenant_id)
    if cached is not None:
        model_id = cached[0]
        if model_id is None:
            return None
        if model_id in _loaded:
            return _loaded[model_id]
    row = await repo.latest_classifier(session, scope, tenant_id)
    if row is None:
        config_cache.put(session, _KIND, tenant_id, (None,))
        return None
    if row.id not in _loaded:
        _loaded[row.id] = pickle.loads(row.model)  # bytes this module wrote
        _loaded[row.id].version = str(row.id)
    config_cache.put(session, _KIND, tenant_id, (row.id,))
    return _loaded[row.id]


config_cache.watch(ClassifierModel)
