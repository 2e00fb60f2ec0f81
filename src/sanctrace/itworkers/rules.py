"""The IT-worker red flags, as data: one rule per indicator the US advisories on DPRK IT
workers publish, each with the advisory, the place in it, its URL, a weight and parameters.

Weights are chosen so that no single behavioural indicator flags a worker on its own (a
traveller logs in from two countries, a shared office shares an IP, an agency pays several
contractors through one account): the advisories say the indicators are to be assessed in
context. A worker is flagged at ``FLAG_SCORE``, which takes at least three indicators, or
two of the strongest, or an identifier (email, domain, wallet) on a sanctions list.

Locators name the advisory's section and the bullet's position in its list, counted in the
published text (the May 2022 advisory's lists for companies hiring freelance developers and
for freelance and payment platforms; the October 2023 update's "Additional Red Flag
Indicators"; the May 2024 PSA's list of facilitator services).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

MAY_2022: Final = (
    "US Department of State, Department of the Treasury and FBI, Guidance on the Democratic "
    "People's Republic of Korea Information Technology Workers (16 May 2022)"
)
MAY_2022_URL: Final = "https://ofac.treasury.gov/recent-actions/20220516"
OCT_2023: Final = (
    "FBI and Republic of Korea, Additional Guidance on the Democratic People's Republic of "
    "Korea Information Technology Workers (PSA231018, 18 October 2023)"
)
OCT_2023_URL: Final = "https://www.ic3.gov/PSA/2023/PSA231018"
MAY_2024: Final = (
    "FBI, North Korea Leverages U.S.-Based Individuals to Defraud U.S. Businesses and "
    "Generate Revenue (I-051624-PSA, 16 May 2024)"
)
MAY_2024_URL: Final = "https://www.ic3.gov/PSA/2024/PSA240516"
JAN_2025: Final = (
    "FBI, North Korean IT Workers Conducting Data Extortion (I-012325-PSA, 23 January 2025)"
)
JAN_2025_URL: Final = "https://www.ic3.gov/PSA/2025/PSA250123"

PLATFORMS: Final = "Red Flag Indicators: for freelance work and payment platforms"
HIRING: Final = "Red Flag Indicators: for companies hiring freelance developers"

FLAG_SCORE: Final = 1.0
"""A worker whose rules' weights sum to this or more is flagged."""


@dataclass(frozen=True)
class Rule:
    """One red flag. ``indicator`` is the advisory's wording, paraphrased; ``parameters``
    are the thresholds its detector uses (``scan`` may override them)."""

    id: str
    title: str
    indicator: str
    advisory: str
    section: str
    url: str
    weight: float
    parameters: dict[str, Any] = field(default_factory=dict)
    see_also: tuple[str, ...] = ()


RULES: Final[tuple[Rule, ...]] = (
    Rule(
        "ITW-01",
        "Log-ins to one account from several countries in a short time",
        "Multiple log-ins into one account from various IP addresses in a relatively short "
        "period of time, especially if the IP addresses are associated with different countries",
        MAY_2022,
        f"{PLATFORMS}, bullet 1 (also {HIRING}, bullet 1)",
        MAY_2022_URL,
        0.4,
        {"window_hours": 6, "min_countries": 2},
        (f"{JAN_2025}, {JAN_2025_URL}: multiple log-ins into one account in a short time",),
    ),
    Rule(
        "ITW-02",
        "Several accounts logged into from one IP address",
        "Developers logging into multiple accounts on the same platform from one IP address",
        MAY_2022,
        f"{PLATFORMS}, bullet 2",
        MAY_2022_URL,
        0.4,
        {"min_accounts": 3},
    ),
    Rule(
        "ITW-03",
        "Account logged in for a day or more without a break",
        "Developers logged into their accounts continuously for one or more days at a time",
        MAY_2022,
        f"{PLATFORMS}, bullet 3",
        MAY_2022_URL,
        0.35,
        {"min_hours": 24, "max_gap_minutes": 15},
    ),
    Rule(
        "ITW-04",
        "Remote-desktop tooling on the account's connection",
        "Router port or other technical configurations associated with remote desktop "
        "sharing software, such as port 3389, where remote desktop is not company practice",
        MAY_2022,
        f"{PLATFORMS}, bullet 4",
        MAY_2022_URL,
        0.35,
        {
            "tools": [
                "anydesk",
                "teamviewer",
                "rdp",
                "chrome remote desktop",
                "rustdesk",
                "vnc",
                "splashtop",
                "parsec",
                "zoho assist",
            ],
            "ports": [3389, 5900, 5938, 7070, 21115, 21116],
        },
        (f"{MAY_2024}, {MAY_2024_URL}: facilitators enable remote desktop connections",),
    ),
    Rule(
        "ITW-05",
        "Payouts to one bank account, payment account or wallet across workers",
        "Developer and client accounts that use the same PayPal account; facilitators who "
        "set up financial accounts for the workers. Derived: one account receiving the pay "
        "of several workers is what those arrangements leave in payout records",
        MAY_2022,
        f"{PLATFORMS}, bullet 5",
        MAY_2022_URL,
        0.45,
        {"min_workers": 2},
        (f"{MAY_2024}, {MAY_2024_URL}: facilitators set up financial accounts",),
    ),
    Rule(
        "ITW-06",
        "Payouts routed to China or requested in cryptocurrency",
        "Frequent transfers of money through payment platforms, often to PRC-based bank "
        "accounts, or requests for payment in cryptocurrency",
        MAY_2022,
        f"{HIRING}, bullet 2",
        MAY_2022_URL,
        0.4,
        {"countries": ["CN", "KP"], "min_share": 0.5},
    ),
    Rule(
        "ITW-07",
        "Inconsistent name, nationality, location, education or work history across profiles",
        "Inconsistencies in name spelling, nationality, claimed work location, contact "
        "information, educational history and work history across platforms and profiles",
        MAY_2022,
        f"{HIRING}, bullet 3",
        MAY_2022_URL,
        0.45,
        {"name_similarity": 0.8, "text_similarity": 0.5, "photo_distance": 20},
        (
            f"{OCT_2023}, {OCT_2023_URL}, Additional Red Flag Indicators, bullet 4: profiles "
            "that do not match the resume; several profiles of one identity with different "
            "pictures",
        ),
    ),
    Rule(
        "ITW-08",
        "Document template reused across workers",
        "Frequent use of document templates (bidding documents, project communication), "
        "especially the same templates across different developer accounts",
        MAY_2022,
        f"{PLATFORMS}, bullet 6",
        MAY_2022_URL,
        0.4,
        {"min_workers": 2},
    ),
    Rule(
        "ITW-09",
        "Profile photo reused across workers",
        "Online profiles that do not match the resume; several profiles of one identity with "
        "different pictures (ITW-07 tests that). Derived: the mirror case, one picture under "
        "several identities, found by perceptual hash within a small distance",
        OCT_2023,
        "Additional Red Flag Indicators, bullet 4",
        OCT_2023_URL,
        0.5,
        {"max_distance": 8},
        (f"{JAN_2025}, {JAN_2025_URL}: cross-check applicants across HR systems",),
    ),
    Rule(
        "ITW-10",
        "Client that boosts many developer accounts",
        "Multiple developer accounts receiving high ratings from one client account in a "
        "short period of time",
        MAY_2022,
        f"{PLATFORMS}, bullet 7",
        MAY_2022_URL,
        0.4,
        {"min_rating": 4.5, "min_workers": 3, "window_days": 30},
    ),
    Rule(
        "ITW-11",
        "Client pays from an account its developer is paid into",
        "A fraudulent client account raises developer ratings while client and developer use "
        "the same payment account (paying themselves with their own money)",
        MAY_2022,
        f"{PLATFORMS}, bullet 5",
        MAY_2022_URL,
        0.6,
    ),
    Rule(
        "ITW-12",
        "Laptops shipped to an address several workers share",
        "Facilitators receive company laptops at a US address for the workers and install "
        "remote access on them. Derived: one address receiving the laptops of several "
        "workers (a laptop farm)",
        MAY_2024,
        "opening paragraphs and list of facilitator services, bullets 1-3",
        MAY_2024_URL,
        0.45,
        {"min_workers": 3},
        (f"{OCT_2023}, {OCT_2023_URL}: requests to change the delivery address of equipment",),
    ),
    Rule(
        "ITW-13",
        "Email, email domain or payout wallet on a sanctions list",
        "Persons and entities supporting DPRK IT worker activity may be designated; an "
        "identifier they use that is on the US or UN lists (OFAC digital-currency addresses "
        "included) ties the worker to a designated party",
        MAY_2022,
        "Sanctions section (designations under US and UN authorities)",
        MAY_2022_URL,
        1.0,
        {"threshold": 0.85},
    ),
    Rule(
        "ITW-14",
        "Name close to a listed person's",
        "As ITW-13, for a profile name: many DPRK names are common Korean names, so a name "
        "that resembles a listed person's adds to the other indicators but does not flag alone",
        MAY_2022,
        "Sanctions section (designations under US and UN authorities)",
        MAY_2022_URL,
        0.5,
        {"threshold": 0.9},
    ),
)

BY_ID: Final[dict[str, Rule]] = {r.id: r for r in RULES}


def parameters(overrides: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Each rule's parameters, with ``overrides`` (rule id -> name -> value) applied; an
    unknown rule or parameter is a ``KeyError`` naming it."""
    out = {r.id: dict(r.parameters) for r in RULES}
    for rule_id, values in (overrides or {}).items():
        if rule_id not in out:
            raise KeyError(f"no rule {rule_id}")
        for name, value in values.items():
            if name not in out[rule_id]:
                raise KeyError(f"rule {rule_id} has no parameter {name}")
            out[rule_id][name] = value
    return out
