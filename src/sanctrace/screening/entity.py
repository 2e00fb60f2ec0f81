"""Entities prepared for matching: plain FtM-style dicts in, ``Prepared`` out.

Input is what FollowTheMoney writes and what the workspace holds::

    {"schema": "Person", "properties": {"name": ["KIM Jong Un"], "birthDate": ["1984-01-08"],
     "nationality": ["kp"], "gender": ["male"], "passportNumber": ["..."]}}

``prepare`` turns one into a ``Prepared`` (names tokenised, Korean keys, identifiers
cleaned), once per entity: an index keeps the ``Prepared`` form of every list entity and the
matcher compares it with the prepared query. ``QueryEntity`` is the query side as a user
gives it (a name or identifier plus optional qualifiers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sanctrace.errors import InputError
from sanctrace.screening import identifiers, korean
from sanctrace.screening.identifiers import Identifier
from sanctrace.screening.names import NameTokens, check_query, name_tokens

NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias")
"""Name properties in the order they are tried; ``weakAlias`` is marked weak."""
COUNTRY_PROPERTIES = ("nationality", "citizenship", "country", "jurisdiction", "flag")

PERSON_SCHEMATA = frozenset({"Person"})
ORG_SCHEMATA = frozenset({"Organization", "Company", "PublicBody", "LegalEntity", "Airline"})
OBJECT_SCHEMATA = frozenset({"Vessel", "Airplane", "Vehicle", "CryptoWallet", "Asset"})

PROPERTY_OF_KIND: dict[str, str] = {
    "imo": "imoNumber",
    "mmsi": "mmsi",
    "crypto": "publicKey",
    "email": "email",
    "domain": "website",
    "passport": "passportNumber",
    "id": "idNumber",
}
"""The FtM property that holds an identifier of each kind ``guess_kind`` tells apart."""


def name_kind(schema: str | None) -> str:
    """ "person", "org", "object" or "any": what name normalisation applies."""
    if schema in PERSON_SCHEMATA:
        return "person"
    if schema in ORG_SCHEMATA:
        return "org" if schema != "LegalEntity" else "any"
    if schema in OBJECT_SCHEMATA:
        return "object"
    return "any"


@dataclass(frozen=True, slots=True)
class Prepared:
    """An entity ready to compare; build it with ``prepare``."""

    schema: str | None
    names: tuple[NameTokens, ...]
    weak: tuple[bool, ...]
    korean_keys: frozenset[str]
    identifiers: tuple[Identifier, ...]
    birth_dates: tuple[str, ...]
    countries: frozenset[str]
    genders: frozenset[str]
    entity: Mapping[str, Any] = field(compare=False, repr=False)


def _values(props: Mapping[str, Any], prop: str) -> list[str]:
    raw = props.get(prop)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, Iterable):
        return []
    return [str(v) for v in raw if isinstance(v, str | int) and str(v).strip()]


def prepare(entity: Mapping[str, Any]) -> Prepared:
    """Prepare an FtM-style dict (see the module docstring). Unknown properties are ignored
    and invalid identifier values dropped, as FtM's ``clean`` does."""
    if not isinstance(entity, Mapping):
        raise InputError("entity", f"expected an FtM-style mapping, got {type(entity).__name__}")
    schema = entity.get("schema")
    schema = schema if isinstance(schema, str) else None
    props = entity.get("properties") or {}
    if not isinstance(props, Mapping):
        raise InputError("entity", "'properties' must be a mapping of lists")
    kind = name_kind(schema)
    names: list[NameTokens] = []
    weak: list[bool] = []
    seen: set[str] = set()
    keys: set[str] = set()
    for prop in NAME_PROPERTIES:
        for value in _values(props, prop):
            if value in seen:
                continue
            seen.add(value)
            tokens = name_tokens(value, kind)
            if not tokens.tokens:
                continue
            names.append(tokens)
            weak.append(prop == "weakAlias")
            if kind in ("person", "any"):
                keys.update(korean.korean_keys(value))
    ids: list[Identifier] = []
    for prop, id_kind in identifiers.PROPERTY_KINDS.items():
        for value in _values(props, prop):
            cleaned = identifiers.clean(id_kind, value)
            if cleaned is not None and cleaned not in ids:
                ids.append(cleaned)
    countries = {c.lower() for p in COUNTRY_PROPERTIES for c in _values(props, p)}
    return Prepared(
        schema=schema,
        names=tuple(names),
        weak=tuple(weak),
        korean_keys=frozenset(keys),
        identifiers=tuple(ids),
        birth_dates=tuple(d.strip() for d in _values(props, "birthDate")),
        countries=frozenset(countries),
        genders=frozenset(g.lower() for g in _values(props, "gender")),
        entity=entity,
    )


@dataclass(frozen=True)
class QueryEntity:
    """A screening query: names and/or identifiers, with optional qualifiers.

    ``QueryEntity.from_text("IMO 9143300")`` guesses what the text is (see
    ``identifiers.guess_kind``) and fills the right property.
    """

    names: Sequence[str] = ()
    schema: str | None = None
    birth_dates: Sequence[str] = ()
    countries: Sequence[str] = ()
    genders: Sequence[str] = ()
    identifiers: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @classmethod
    def from_text(
        cls,
        text: str,
        schema: str | None = None,
        birth_date: str | None = None,
        country: str | None = None,
    ) -> QueryEntity:
        """One query string (a name or an identifier) with optional qualifiers."""
        guess = identifiers.guess_kind(text)
        ids: dict[str, list[str]] = {}
        names: list[str] = []
        if guess.kind == "name":
            names.append(check_query(text))
        else:
            prop = PROPERTY_OF_KIND[guess.kind]
            ids[prop] = [text]
            if schema is None:
                schema = {"imo": "Vessel", "mmsi": "Vessel", "crypto": "CryptoWallet"}.get(
                    guess.kind
                )
        return cls(
            names=tuple(names),
            schema=schema,
            birth_dates=(birth_date,) if birth_date else (),
            countries=(country,) if country else (),
            identifiers=ids,
        )

    def to_entity(self) -> dict[str, Any]:
        """The query as an FtM-style dict."""
        props: dict[str, list[str]] = {}
        if self.names:
            props["name"] = [check_query(n) for n in self.names]
        if self.birth_dates:
            props["birthDate"] = list(self.birth_dates)
        if self.countries:
            props["country"] = list(self.countries)
        if self.genders:
            props["gender"] = list(self.genders)
        for prop, values in self.identifiers.items():
            props[prop] = [check_query(v) for v in values]
        if not props.get("name") and not self.identifiers:
            raise InputError("query", "give a name or an identifier")
        return {"schema": self.schema or "Thing", "properties": props}
