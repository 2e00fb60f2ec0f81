"""The matcher: a weighted list of features (see ``features``), combined into one score with
an explanation per feature.

    score = max(weight * score over evidence features)
          + sum(weight * score over qualifier features)    (their weights are negative)

clamped to [0, 1]. Evidence does not add up: a name that matches and a Korean key that
matches are the same evidence twice, so the strongest one counts. Conflicts do add up.
``DEFAULT_THRESHOLD`` is the score at which a candidate is reported as a match.

Two stages, of which this module is the second. Retrieval (an index, built elsewhere) finds
candidates from keys that these same functions produce, applied identically to list entities
and queries:

- ``identifiers.Identifier.key`` of every prepared identifier: an exact index
  ("imo:9143300", "crypto:evm:0x...");
- ``korean.korean_keys`` of every name: "김:congun" for every spelling of 김정은;
- ``names.NameTokens.distinctive`` tokens and their ``names.skeleton``: a token index for
  everything else (and a deletion neighbourhood of the skeletons for typos).

A list entity is ``entity.prepare``-d once when the index is built; ``match`` takes either
plain dicts or ``Prepared`` entities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sanctrace.screening import features as ft
from sanctrace.screening.entity import Prepared, QueryEntity, prepare

DEFAULT_THRESHOLD = 0.7
"""Reported matches score at least this (nomenklatura's name_bench threshold, too)."""

FeatureFunc = Callable[[Prepared, Prepared], ft.FeatureResult]


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature: its function, its weight and whether it is evidence or a qualifier."""

    func: FeatureFunc
    weight: float
    role: Literal["evidence", "qualifier"]

    @property
    def name(self) -> str:
        return self.func.__name__

    @property
    def doc(self) -> str:
        """The feature's docstring, served with the API's algorithm description."""
        doc = self.func.__doc__
        if not doc:
            raise TypeError(f"feature {self.name} has no docstring")
        return " ".join(doc.split())


FEATURES: tuple[Feature, ...] = (
    Feature(ft.name_similarity, 1.0, "evidence"),
    Feature(ft.korean_name_key, 0.95, "evidence"),
    Feature(ft.identifier_match, 1.0, "evidence"),
    Feature(ft.vessel_number_conflict, -0.4, "qualifier"),
    Feature(ft.birth_date_conflict, -0.25, "qualifier"),
    Feature(ft.country_conflict, -0.15, "qualifier"),
    Feature(ft.gender_conflict, -0.2, "qualifier"),
    Feature(ft.schema_conflict, -0.3, "qualifier"),
)


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """One feature's part in a result."""

    score: float
    weight: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "weight": self.weight, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A score in [0, 1] and, per feature that fired, its score, weight and detail."""

    score: float
    explanation: dict[str, FeatureScore]

    def is_match(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return self.score >= threshold

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "explanation": {k: v.to_dict() for k, v in self.explanation.items()},
        }


def _prepared(value: QueryEntity | Mapping[str, Any] | Prepared) -> Prepared:
    if isinstance(value, Prepared):
        return value
    if isinstance(value, QueryEntity):
        return prepare(value.to_entity())
    return prepare(value)


def match(
    query: QueryEntity | Mapping[str, Any] | Prepared,
    candidate: Mapping[str, Any] | Prepared,
    features: tuple[Feature, ...] = FEATURES,
) -> MatchResult:
    """Score a candidate (an FtM-style dict or a prepared entity) against a query."""
    q, c = _prepared(query), _prepared(candidate)
    evidence = 0.0
    penalty = 0.0
    explanation: dict[str, FeatureScore] = {}
    for feature in features:
        result = feature.func(q, c)
        if result.score <= 0.0:
            continue
        explanation[feature.name] = FeatureScore(result.score, feature.weight, result.detail)
        weighted = feature.weight * result.score
        if feature.role == "evidence":
            evidence = max(evidence, weighted)
        else:
            penalty += weighted
    score = min(1.0, max(0.0, evidence + penalty))
    return MatchResult(round(score, 4), explanation)


def feature_docs(features: tuple[Feature, ...] = FEATURES) -> dict[str, dict[str, Any]]:
    """Each feature's description and weight, for the API and the docs."""
    return {f.name: {"description": f.doc, "weight": f.weight, "role": f.role} for f in features}
