"""Labelled screening queries from the listed parties: variants that must match, and hard
negatives that must not.

A screening benchmark needs queries whose answer is known. This module takes the listed
parties (``Party``: entity id, schema, names and aliases, identifiers) and writes the ways
people actually type them, one small function per *variant kind*:

- ``exact``: every name and alias as listed; ``case``: case and punctuation changed;
- ``order``: surname last or first with a comma ("Jong Un KIM", "KIM, Jong Un");
- ``glue``: given-name syllables hyphenated, spaced or glued (Jong-un, Jong Un, Jongun);
- ``romanization``: the given name (persons) or a Korean word (organisations, vessels) read
  into Hangul and written again in Revised Romanization or McCune-Reischauer with
  ``korean.romanize`` (Chol/Cheol, Ryonbong/Ryeonbong);
- ``surname``: another customary spelling from ``korean.SURNAMES`` (Ri/Lee/Yi, Pak/Park);
- ``typo``: one deletion, insertion, substitution or transposition in a token of at least
  five letters, never the surname's first letter;
- ``hangul``: the name in Hangul, only where every syllable reads one way (see below);
- ``drop``: one non-essential token of an organisation name, or a middle token of a long
  personal name, never leaving one token;
- ``legal_form``: Corporation/Corp/Co., Limited/Ltd, Trading Company/Trading Co;
- ``imo``, ``crypto``, ``document``: identifiers in the formats people paste them (IMO number
  with and without prefix; EVM addresses lower, upper and EIP-55 case, bech32 lower and
  upper, base58 only as listed because its case is significant; passports with spaces and
  dashes).

Hard negatives (expected entity ``None``): ``negative_korean`` (real surnames with given-name
syllables of listed people), ``negative_near`` (a listed Korean person with one given
syllable swapped: "KIM Sok Chol" where "KIM Sok Jin" is listed), ``negative_org`` (a listed
organisation with its distinctive word swapped for another Korean place or word) and
``negative_common`` (common non-Korean names). A negative is kept only when neither its
Korean phonetic key (``korean.korean_keys``) nor its normalised tokens equal those of any
listed name, so that a match on it is a false positive and not a spelling the generator
failed to recognise. The check is a little stricter than the keys (o and u merged, since
the lists spell 철 both Chol and Chul), and a negative that is part of a listed name ("Yo
Jong" of "KIM Yo Jong") is dropped too.

Hangul: the lists carry none. A Latin syllable is read back into Hangul through the table of
what ``korean.romanize`` writes for each syllable of a name-like shape (no double initials;
finals ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ or none). A name written with McCune-Reischauer marks ("So'k-min",
"Pyo'ng-ch'o'l") reads almost always one way; the plain North Korean style does not ("Jong"
is 정 or 종), so such names are skipped for Hangul and counted in ``Generated.skipped``.

Everything is drawn from one ``random.Random(seed)``: the same parties and seed give the same
queries in the same order.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from sanctrace.screening import korean, names

POSITIVE_KINDS = (
    "exact",
    "case",
    "order",
    "glue",
    "romanization",
    "surname",
    "typo",
    "hangul",
    "drop",
    "legal_form",
    "imo",
    "crypto",
    "document",
)
IDENTIFIER_KINDS = ("imo", "crypto", "document")
NEGATIVE_KINDS = ("negative_korean", "negative_near", "negative_org", "negative_common")

QUERY_SCHEMA = {
    "Person": "Person",
    "Organization": "Organization",
    "Company": "Organization",
    "LegalEntity": "Organization",
    "Vessel": "Vessel",
    "CryptoWallet": "CryptoWallet",
}
"""The schema a user would state for a party of each listed schema (None where screening
takes no such schema, e.g. Airplane)."""


@dataclass(frozen=True, slots=True)
class Party:
    """A listed party: what the generator needs of it."""

    entity_id: str
    schema: str
    names: tuple[str, ...]
    identifiers: tuple[tuple[str, str], ...] = ()
    """(FtM property, value) pairs: imoNumber, publicKey, passportNumber, idNumber."""


@dataclass(frozen=True, slots=True)
class Query:
    """One labelled query. ``field`` is "query" for free text (a name, an IMO number or a
    wallet, as typed into one search box) or the FtM property of a document number."""

    text: str
    schema: str | None
    expected: str | None
    kind: str
    source: str
    field: str = "query"


@dataclass
class Generated:
    queries: list[Query]
    skipped: Counter[str] = field(default_factory=Counter)
    """Per kind, how many names that kind could not render (Hangul above all)."""


# ---------------------------------------------------------------------------------------
# reading Latin syllables back into Hangul

_DOUBLE_INITIALS = frozenset({1, 4, 8, 10, 13})  # ㄲ ㄸ ㅃ ㅆ ㅉ
_NAME_FINALS = (0, 1, 4, 8, 16, 17, 21)  # none, ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ


@cache
def syllable_table(system: korean.System) -> dict[str, tuple[str, ...]]:
    """Latin syllable as ``korean.romanize`` writes it -> the name-like Hangul syllables
    written so. "mr" keeps McCune-Reischauer's marks (ŏ, ŭ, k'); "nk" is the lists' plain
    style: the North Korean one and MR without marks ("chong" is 정, 종, 청 or 총)."""
    table: dict[str, list[str]] = defaultdict(list)
    for initial in range(19):
        if initial in _DOUBLE_INITIALS:
            continue
        for medial in range(21):
            for final in _NAME_FINALS:
                hangul = chr(0xAC00 + (initial * 21 + medial) * 28 + final)
                latin = unicodedata.normalize("NFC", korean.romanize(hangul, system).lower())
                table[latin].append(hangul)
                if system == "nk":  # the lists also write MR without marks: ch for ㅈ
                    plain = _letters(korean.romanize(hangul, "mr"))
                    if hangul not in table[plain]:
                        table[plain].append(hangul)
    return {k: tuple(v) for k, v in table.items()}


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return re.sub(r"[^a-z]", "", decomposed)


def _mr_form(part: str) -> str:
    """A list's ASCII McCune-Reischauer ("Pyo'ng", "ch'o'l") in ko-pron's form (pyŏng)."""
    text = re.sub(r"[’‘`ʼ]", "'", part.lower())
    text = re.sub(r"o'", "ŏ", text)
    text = re.sub(r"u'", "ŭ", text)
    text = re.sub(r"(?<![ktph])'", "", text)
    return unicodedata.normalize("NFC", text)


def _is_marked(part: str) -> bool:
    return bool(re.search(r"[’‘`ʼ'ŏŭ]", part))


def syllable_readings(part: str) -> tuple[str, ...]:
    """The Hangul syllables one written Latin syllable can stand for (empty: none)."""
    if _is_marked(part):
        return syllable_table("mr").get(_mr_form(part), ())
    return syllable_table("nk").get(_letters(part), ())


def split_syllables(word: str) -> list[str] | None:
    """Split a glued plain-letter word into syllables of the "nk" table, when exactly one
    split exists ("Jongun" -> ["Jong", "un"]); None otherwise."""
    table = syllable_table("nk")
    lower = word.lower()
    if not lower.isalpha() or lower != _letters(word):
        return None
    splits: list[list[str]] = []

    def walk(start: int, acc: list[str]) -> None:
        if len(splits) > 1:
            return
        if start == len(lower):
            splits.append(list(acc))
            return
        for end in range(start + 1, min(len(lower), start + 6) + 1):
            if lower[start:end] in table:
                walk(end, [*acc, word[start:end]])

    walk(0, [])
    return splits[0] if len(splits) == 1 else None


# ---------------------------------------------------------------------------------------
# Korean personal names


@dataclass(frozen=True, slots=True)
class KoreanName:
    """A listed Korean name, surname first, given name as written syllable by syllable."""

    surname: str
    given: tuple[str, ...]


def parse_korean(name: str) -> KoreanName | None:
    """The surname and given syllables of a surname-first Korean name, or None."""
    if not korean.looks_korean(name):
        return None
    words = name.split()
    if len(words) < 2 or not korean.surname_hangul(_letters(words[0])):
        return None
    given: list[str] = []
    for word in words[1:]:
        for part in (p for p in word.split("-") if p):
            if korean.is_korean_syllable(_letters(part)):
                given.append(part)
                continue
            split = split_syllables(part)
            if split is None:
                return None
            given.extend(split)
    if not 1 <= len(given) <= 3:
        return None
    return KoreanName(words[0], tuple(given))


def _styled(text: str, like: str) -> str:
    """``text`` in the case style of ``like`` (upper, lower or capitalised)."""
    if like.isupper():
        return text.upper()
    if like.islower():
        return text.lower()
    return text[:1].upper() + text[1:].lower()


def _given_forms(given: Sequence[str]) -> list[str]:
    """Spaced, hyphenated and glued spellings of a given name ("Jong Un", "Jong-un")."""
    first, rest = given[0], [g.lower() for g in given[1:]]
    if not rest:
        return [first]
    spaced = " ".join(_styled(g, first) for g in given)
    return [spaced, "-".join([first, *rest]), "".join([first, *rest])]


def surname_hangul(surname: str) -> str | None:
    """The one Hangul surname a Latin spelling stands for, in the North Korean form where
    the spelling keeps its initial r ("Ri" -> 리); None when ambiguous or unknown."""
    key = _letters(surname)
    hanguls = korean.surname_hangul(key)
    if len(hanguls) != 1:
        return None
    (hangul,) = hanguls
    for alias, canonical in korean.HANGUL_SURNAME_ALIASES.items():
        if canonical == hangul and korean.romanize(alias).lower() == key:
            return alias
    return hangul


# ---------------------------------------------------------------------------------------
# variant kinds: each takes a party and a name, and yields (text, kind)

Variant = tuple[str, str]


def exact(name: str) -> Iterator[Variant]:
    yield name, "exact"


def case(name: str, rng: random.Random) -> Iterator[Variant]:
    """Lower, upper or capitalised words, or punctuation out (apostrophes glue: Ch'ol ->
    Chol; hyphens, dots, commas and brackets split)."""
    stripped = " ".join(re.sub(r"[.,()\-]", " ", re.sub(r"['’‘`]", "", name)).split())
    capitalised = " ".join(w.capitalize() for w in name.split())
    options = sorted({name.lower(), capitalised, name.upper(), stripped} - {name})
    if options:
        yield rng.choice(options), "case"


def order(name: str) -> Iterator[Variant]:
    words = name.split()
    if len(words) < 2:
        return
    first, rest = words[0].rstrip(","), " ".join(words[1:])
    yield f"{rest} {first}", "order"
    yield f"{first}, {rest}", "order"


def glue(parsed: KoreanName, name: str, rng: random.Random) -> Iterator[Variant]:
    if len(parsed.given) < 2:
        return
    listed = " ".join(name.split()[1:])
    options = [f for f in _given_forms(parsed.given) if f != listed]
    if options:
        yield f"{parsed.surname} {rng.choice(options)}", "glue"


def _reromanize(syllables: Sequence[str], rng: random.Random, glued: bool) -> str | None:
    """Syllables read into Hangul (a seeded choice where the reading is ambiguous) and
    written in RR or MR; None when a syllable has no reading or nothing changes."""
    hangul = ""
    for syllable in syllables:
        readings = syllable_readings(syllable)
        if not readings:
            return None
        hangul += rng.choice(readings)
    before = "".join(_letters(s) for s in syllables)
    systems: list[korean.System] = ["rr", "mr"]
    for system in rng.sample(systems, 2):
        written = korean.romanize("김" + hangul, system).split(" ", 1)[1]
        if glued:
            written = written.replace("-", "")
        if _letters(written) != before:
            return written
    return None


def romanization_person(parsed: KoreanName, rng: random.Random) -> Iterator[Variant]:
    written = _reromanize(parsed.given, rng, glued=False)
    if written is not None:
        yield f"{parsed.surname} {_styled(written, parsed.given[0])}", "romanization"


_NOT_KOREAN_WORDS = frozenset(
    {"korea", "korean", "corea", "mining", "ocean", "union", "sea", "hong", "kong", "china"}
)


def romanization_word(name: str, pool: frozenset[str], rng: random.Random) -> Iterator[Variant]:
    """One Korean word of a name re-romanised; a word counts as Korean when every syllable
    is one that listed Korean people's names use (``pool``), so "Natural" does not."""
    words = name.split()
    eligible: list[tuple[int, list[str]]] = []
    for i, word in enumerate(words):
        split = split_syllables(word)
        if split and _korean_word(word, pool):
            eligible.append((i, split))
    if not eligible:
        return
    i, split = rng.choice(eligible)
    written = _reromanize(split, rng, glued=True)
    if written is not None:
        yield " ".join([*words[:i], _styled(written, words[i]), *words[i + 1 :]]), "romanization"


def surname(parsed: KoreanName, name: str, rng: random.Random) -> Iterator[Variant]:
    key = _letters(parsed.surname)
    spellings = sorted(
        {s for h in korean.surname_hangul(key) for s in korean.SURNAMES.get(h, ())} - {key}
    )
    if spellings:
        other = _styled(rng.choice(spellings), parsed.surname)
        yield f"{other} {name.split(' ', 1)[1]}", "surname"


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def typo(name: str, is_person: bool, rng: random.Random) -> Iterator[Variant]:
    words = name.split()
    eligible = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.isascii()]
    if not eligible:
        return
    i = rng.choice(eligible)
    word = words[i]
    start = 1 if (is_person and i == 0) else 0
    op = rng.choice(["delete", "insert", "substitute", "transpose"])
    pos = rng.randrange(start, len(word) - 1)
    letter = rng.choice([c for c in _ALPHABET if c != word[pos].lower()])
    letter = letter.upper() if word.isupper() else letter
    if op == "delete":
        new = word[:pos] + word[pos + 1 :]
    elif op == "insert":
        new = word[:pos] + letter + word[pos:]
    elif op == "substitute":
        new = word[:pos] + letter + word[pos + 1 :]
    else:
        if word[pos].lower() == word[pos + 1].lower():
            return
        new = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    yield " ".join([*words[:i], _styled(new, word), *words[i + 1 :]]), "typo"


def hangul(parsed: KoreanName) -> str | None:
    """The name in Hangul when every syllable reads one way, else None."""
    family = surname_hangul(parsed.surname)
    if family is None:
        return None
    given = ""
    for syllable in parsed.given:
        readings = syllable_readings(syllable)
        if len(readings) != 1:
            return None
        given += readings[0]
    return family + given


_DROPPABLE = frozenset(
    {
        "korea",
        "korean",
        "dprk",
        "general",
        "trading",
        "company",
        "co",
        "corporation",
        "corp",
        "limited",
        "ltd",
        "group",
        "international",
        "joint",
        "venture",
        "the",
        "of",
        "and",
        "inc",
        "llc",
        "enterprise",
    }
)


def drop(name: str, is_person: bool, rng: random.Random) -> Iterator[Variant]:
    words = name.split()
    if is_person:
        eligible = list(range(1, len(words) - 1)) if len(words) >= 4 else []
    else:
        eligible = [i for i, w in enumerate(words) if _letters(w) in _DROPPABLE]
    if len(words) < 3 or not eligible:
        return
    i = rng.choice(eligible)
    yield " ".join(words[:i] + words[i + 1 :]).strip(" ,"), "drop"


_LEGAL_FORMS = (
    (r"\bTRADING COMPANY\b", "Trading Co"),
    (r"\bTRADING CO\b\.?", "Trading Company"),
    (r"\bCORPORATION\b", "Corp"),
    (r"\bCORPORATION\b", "Co."),
    (r"\bCORP\b\.?", "Corporation"),
    (r"\bCOMPANY LIMITED\b", "Co., Ltd."),
    (r"\bCO\.?,? LTD\b\.?", "Company Limited"),
    (r"\bLIMITED\b", "Ltd"),
    (r"\bLTD\b\.?", "Limited"),
    (r"\bCOMPANY\b", "Co."),
)


def legal_form(name: str, rng: random.Random) -> Iterator[Variant]:
    options: set[str] = set()
    for pattern, replacement in _LEGAL_FORMS:
        found = re.search(pattern, name, flags=re.IGNORECASE)
        if found:
            styled = replacement.upper() if found.group(0).isupper() else replacement
            options.add(name[: found.start()] + styled + name[found.end() :])
    options.discard(name)
    if options:
        yield rng.choice(sorted(options)), "legal_form"


def imo(value: str) -> Iterator[Variant]:
    digits = re.sub(r"\D", "", value)
    if len(digits) != 7:
        return
    for text in dict.fromkeys([value, f"IMO {digits}", digits, f"imo{digits}"]):
        yield text, "imo"


def crypto(value: str) -> Iterator[Variant]:
    """As listed; EVM also lower, upper and EIP-55; bech32 also lower and upper."""
    forms = [value]
    if re.fullmatch(r"0[xX][0-9a-fA-F]{40}", value):
        from eth_utils.address import to_checksum_address

        body = value[2:]
        forms += ["0x" + body.lower(), "0x" + body.upper(), to_checksum_address(value.lower())]
    elif re.fullmatch(r"(bc|ltc|tb)1[0-9a-zA-Z]+", value, flags=re.IGNORECASE):
        forms += [value.lower(), value.upper()]
    for text in dict.fromkeys(forms):
        yield text, "crypto"


def document(value: str) -> Iterator[Variant]:
    compact = re.sub(r"[^0-9A-Za-z]", "", value)
    if not 6 <= len(compact) <= 24 or not any(c.isdigit() for c in compact):
        return
    if not re.fullmatch(r"[0-9A-Za-z .\-/]+", value):
        return
    groups = [compact[i : i + 3] for i in range(0, len(compact), 3)]
    for text in dict.fromkeys([value, " ".join(groups), "-".join(groups), compact.lower()]):
        yield text, "document"


# ---------------------------------------------------------------------------------------
# positives


def syllable_pool(parties: Iterable[Party]) -> frozenset[str]:
    """The surname and given-name syllables (plain letters) of the listed Korean people."""
    people = _korean_people(parties)
    return frozenset(_letters(s) for p in people for s in (p.surname, *p.given)) - {""}


def _name_variants(
    party: Party, name: str, pool: frozenset[str], rng: random.Random, skipped: Counter[str]
) -> list[Variant]:
    is_person = party.schema == "Person"
    out: list[Variant] = [*case(name, rng), *typo(name, is_person, rng)]
    out += drop(name, is_person, rng)
    if not is_person:
        out += romanization_word(name, pool, rng)
        out += legal_form(name, rng)
        return out
    out += order(name)
    parsed = parse_korean(name)
    if parsed is None:
        return out
    out += glue(parsed, name, rng)
    out += romanization_person(parsed, rng)
    out += surname(parsed, name, rng)
    written = hangul(parsed)
    if written is None:
        skipped["hangul"] += 1
    else:
        out.append((written, "hangul"))
    return out


_IDENTIFIER_KINDS = {"imoNumber": imo, "publicKey": crypto, "passportNumber": document}


def positives(
    parties: Sequence[Party], rng: random.Random, skipped: Counter[str]
) -> Iterator[Query]:
    """Every variant of every name and identifier of every party, each (text, party) once."""
    pool = syllable_pool(parties)
    for party in parties:
        schema = QUERY_SCHEMA.get(party.schema)
        listed = list(dict.fromkeys(party.names))
        seen = set(listed)  # every name as listed first: a variant that is another listed
        for name in listed:  # name of the party is no variant
            for text, kind in exact(name):
                yield Query(text, schema, party.entity_id, kind, name)
        for name in listed:
            for text, kind in _name_variants(party, name, pool, rng, skipped):
                if text.strip() and text not in seen:
                    seen.add(text)
                    yield Query(text, schema, party.entity_id, kind, name)
        for prop, value in party.identifiers:
            variants = _IDENTIFIER_KINDS.get(prop, document if prop == "idNumber" else None)
            if variants is None:
                continue
            free_text = prop in ("imoNumber", "publicKey")
            for text, kind in variants(value):
                if text not in seen:
                    seen.add(text)
                    # free text: the schema is left to screening's guess, as a user would
                    yield Query(
                        text,
                        None if free_text else schema,
                        party.entity_id,
                        kind,
                        value,
                        "query" if free_text else prop,
                    )


# ---------------------------------------------------------------------------------------
# hard negatives

KOREAN_WORDS = (
    "Pyongyang",
    "Hamhung",
    "Chongjin",
    "Sinuiju",
    "Wonsan",
    "Kaesong",
    "Nampho",
    "Haeju",
    "Kanggye",
    "Hyesan",
    "Sariwon",
    "Anju",
    "Tanchon",
    "Kimchaek",
    "Songrim",
    "Sunchon",
    "Kusong",
    "Manpo",
    "Onsong",
    "Hoeryong",
    "Chollima",
    "Mansu",
    "Unha",
    "Moranbong",
    "Haebang",
    "Samil",
    "Rungra",
    "Kumsusan",
    "Songbong",
    "Pyolmuri",
    "Mirae",
    "Saenal",
    "Kumgang",
    "Myohyang",
    "Chilbo",
    "Taesong",
    "Rakwon",
    "Hwasong",
    "Sonbong",
    "Ongjin",
)
"""Korean places and words that organisation names are made of (for ``negative_org``)."""

COMMON_NAMES = (
    ("John Smith", "Person"),
    ("Maria Garcia", "Person"),
    ("James Johnson", "Person"),
    ("Anna Schmidt", "Person"),
    ("Pierre Dubois", "Person"),
    ("Giulia Rossi", "Person"),
    ("Olga Petrova", "Person"),
    ("Ahmed Hassan", "Person"),
    ("Fatima Khan", "Person"),
    ("Carlos Rodriguez", "Person"),
    ("Emma Wilson", "Person"),
    ("Lars Andersen", "Person"),
    ("Priya Sharma", "Person"),
    ("Hiroshi Tanaka", "Person"),
    ("Nguyen Van Minh", "Person"),
    ("Michael Brown", "Person"),
    ("Sophie Martin", "Person"),
    ("Jan Kowalski", "Person"),
    ("Ana Souza", "Person"),
    ("David Cohen", "Person"),
    ("Acme Logistics Ltd", "Organization"),
    ("Northern Star Shipping Company", "Organization"),
    ("Global Grain Traders Inc", "Organization"),
    ("Blue Ocean Fisheries Limited", "Organization"),
    ("Sunrise Textiles Corporation", "Organization"),
    ("Alpine Machinery GmbH", "Organization"),
    ("Pacific Coast Timber Co", "Organization"),
    ("Riverside Medical Supplies LLC", "Organization"),
    ("Golden Harvest Foods Ltd", "Organization"),
    ("Silver Line Electronics Corporation", "Organization"),
    ("Baltic Trader", "Vessel"),
    ("Ocean Pearl", "Vessel"),
    ("Northern Light", "Vessel"),
    ("Atlantic Breeze", "Vessel"),
)
"""Easy negatives: common names of people, companies and ships that are not on the lists."""


@dataclass(frozen=True, slots=True)
class Listed:
    """What every listed name looks like to the collision check of a negative."""

    korean_keys: frozenset[str]
    """``loose_keys`` of every listed name."""
    forms: frozenset[str]
    folded: tuple[frozenset[str], ...]
    """Each listed name's tokens, folded (``folded_tokens``)."""


def name_forms(name: str) -> frozenset[str]:
    """A name's normalised tokens in order, sorted, and glued: "Kim Jong-un" and "Jongun
    Kim" share one."""
    tokens = names.name_tokens(name).tokens
    return frozenset({" ".join(tokens), " ".join(sorted(tokens)), "".join(sorted(tokens))})


def folded_tokens(name: str) -> frozenset[str]:
    """A name's tokens, each folded as a romanised Korean word (Jong and Chong agree)."""
    return frozenset(korean.fold(t) or t for t in names.name_tokens(name).tokens)


def listed_forms(parties: Iterable[Party]) -> Listed:
    keys: set[str] = set()
    forms: set[str] = set()
    folded: set[frozenset[str]] = set()
    for party in parties:
        for name in party.names:
            keys |= loose_keys(name)
            forms |= name_forms(name)
            folded.add(folded_tokens(name))
    return Listed(frozenset(keys), frozenset(forms), tuple(sorted(folded, key=sorted)))


def loose_keys(name: str) -> frozenset[str]:
    """``korean.korean_keys`` with o and u merged: the lists spell one syllable Chol and
    Chul (철), which the keys keep apart."""
    return frozenset(k.replace("u", "o") for k in korean.korean_keys(name))


def collides(name: str, listed: Listed) -> bool:
    """Whether a would-be negative could be a spelling of a listed name, or a part of one
    ("Yo Jong" of "KIM Yo Jong": a screener may rightly flag a partial name)."""
    if loose_keys(name) & listed.korean_keys or name_forms(name) & listed.forms:
        return True
    tokens = folded_tokens(name)
    return any(tokens <= other for other in listed.folded)


def _korean_people(parties: Iterable[Party]) -> list[KoreanName]:
    found = {
        parsed
        for party in parties
        if party.schema == "Person"
        for name in party.names
        if (parsed := parse_korean(name)) is not None
    }
    return sorted(found, key=lambda k: (k.surname, k.given))


def negative_korean(pool: Sequence[str], rng: random.Random) -> str:
    """A Korean personal name of a real surname and given syllables from ``pool``."""
    spellings = korean.SURNAMES[rng.choice(sorted(korean.SURNAMES))]
    family = rng.choice(spellings[:3])
    given = [rng.choice(pool) for _ in range(rng.choice((1, 2, 2, 2)))]
    style = rng.randrange(3)
    if style == 0:
        return f"{family.upper()} {' '.join(g.capitalize() for g in given)}"
    if style == 1:
        return f"{family.capitalize()} {'-'.join([given[0].capitalize(), *given[1:]])}"
    return " ".join([family, *given]).upper()


def consonants(syllable: str) -> str:
    """The folded consonants of a romanised syllable: "Chol", "Chul" and "Cheol" (one
    syllable, spelled three ways) agree; "Chol" and "Jin" do not."""
    return re.sub(r"[aeiouwy]", "", korean.fold(syllable))


def negative_near(person: KoreanName, pool: Sequence[str], rng: random.Random) -> str | None:
    """A listed person with one given syllable swapped for another with other consonants,
    so that it is not the same syllable spelled otherwise (Chol/Chul, Jae/Che)."""
    if len(person.given) < 2:
        return None
    i = rng.randrange(len(person.given))
    old = consonants(person.given[i])
    choices = [s for s in pool if consonants(s) != old]
    new = _styled(rng.choice(choices), person.given[i])
    given = [*person.given[:i], new, *person.given[i + 1 :]]
    return f"{person.surname} {' '.join(given)}"


def _korean_word(word: str, pool: frozenset[str]) -> bool:
    """Whether a word of a name reads as Korean: two or more syllables, each one that listed
    Korean people's names use (``pool``): "Ryonbong" does, "Natural" does not."""
    if len(word) < 4 or _letters(word) in _NOT_KOREAN_WORDS:
        return False
    split = split_syllables(word)
    return split is not None and len(split) >= 2 and all(_letters(s) in pool for s in split)


def negative_org(
    name: str, pool: frozenset[str], rng: random.Random, taken: frozenset[str] = frozenset()
) -> str | None:
    """A listed organisation with its distinctive (Korean) word swapped for another Korean
    place or word that no listed name uses (``taken``: folded words of every listed name;
    "KOREA HOERYONG SHIPPING" is rightly flagged when "HOERYONG SHIPPING CO LTD" is
    listed); None when the name has no Korean word."""
    words = name.split()
    distinctive = [i for i, w in enumerate(words) if _korean_word(w, pool)]
    if not distinctive:
        return None
    i = rng.choice(distinctive)
    free = [
        w
        for w in KOREAN_WORDS
        if w.lower() != words[i].lower() and (korean.fold(w) or w.lower()) not in taken
    ]
    if not free:
        return None
    new = _styled(rng.choice(free), words[i])
    return " ".join([*words[:i], new, *words[i + 1 :]])


def negatives(parties: Sequence[Party], rng: random.Random, count: int) -> Iterator[Query]:
    """About ``count`` hard negatives (40% Korean names, 35% near misses, 25% organisations)
    and the common names; none collides with a listed name (see ``collides``)."""
    listed = listed_forms(parties)
    people = _korean_people(parties)
    pool = sorted({_letters(g) for p in people for g in p.given if _letters(g)})
    syllables = syllable_pool(parties)
    orgs = [
        (p, n) for p in parties if QUERY_SCHEMA.get(p.schema) == "Organization" for n in p.names
    ]
    seen: set[str] = set()

    def keep(text: str) -> bool:
        if text in seen or collides(text, listed):
            return False
        seen.add(text)
        return True

    plan = (("negative_korean", 0.40), ("negative_near", 0.35), ("negative_org", 0.25))
    for kind, share in plan:
        wanted, tries = round(count * share), 0
        made = 0
        while made < wanted and tries < wanted * 20:
            tries += 1
            text: str | None
            if kind == "negative_korean":
                text, schema, source = negative_korean(pool, rng), "Person", ""
            elif kind == "negative_near" and people:
                person = rng.choice(people)
                text = negative_near(person, pool, rng)
                schema, source = "Person", f"{person.surname} {' '.join(person.given)}"
            elif kind == "negative_org" and orgs:
                _, source = rng.choice(orgs)
                taken = frozenset().union(*listed.folded)
                text, schema = negative_org(source, syllables, rng, taken), "Organization"
            else:
                break
            if text is not None and keep(text):
                made += 1
                yield Query(text, schema, None, kind, source)
    for common, schema in COMMON_NAMES:
        if keep(common):
            yield Query(common, schema, None, "negative_common", "")


def generate(parties: Iterable[Party], seed: int = 0, negative_count: int = 1500) -> Generated:
    """Every positive variant of ``parties`` and about ``negative_count`` hard negatives,
    drawn from ``random.Random(seed)``."""
    ordered = sorted(parties, key=lambda p: p.entity_id)
    rng = random.Random(seed)
    skipped: Counter[str] = Counter()
    queries = list(positives(ordered, rng, skipped))
    queries += negatives(ordered, rng, negative_count)
    return Generated(queries, skipped)
