"""The seeded synthetic contractor population: profiles, log-ins, payouts and client events of
ordinary freelancers, DPRK-like workers planted in teams, and innocent look-alikes that trip
one or two red flags each (travellers, VPN users, shared offices, couples sharing an address
or a joint account, agencies paying through one account, crypto-paid freelancers, remote
administrators, night-shift engineers, relocated workers, generous clients), with the ground
truth of who is who and which indicators were planted on whom.

The IT-worker rules cannot be judged on real HR data, where nobody knows the answer and
nobody may publish it. The same seed gives the same files, byte for byte. The layout and the
ground truth are described in docs/synthetic-itworkers.md.

    python -m sanctrace.synthetic.itworkers OUT [--workers 2000] [--seed 7] [--no-photos]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

START: Final = datetime(2026, 1, 5)
DAYS: Final = 60
HOMES: Final = ("US", "GB", "CA", "DE", "PL", "UA", "JP", "KR", "PH", "VN", "SG", "AU", "BR")
DPRK_CLAIMS: Final = ("US", "CA", "JP", "KR", "SG")
DPRK_BASES: Final = ("CN", "RU")
VPN_EXITS: Final = ("US", "NL", "SE", "CH", "JP", "SG", "DE")
FIRST: Final = [
    "James",
    "Mary",
    "John",
    "Linda",
    "David",
    "Sarah",
    "Michael",
    "Emma",
    "Daniel",
    "Olivia",
    "Ken",
    "Yuki",
    "Min-jun",
    "Ji-woo",
    "Piotr",
    "Anna",
    "Oleksandr",
    "Iryna",
    "Jose",
    "Maria",
    "Thanh",
    "Linh",
    "Wei",
    "Chen",
    "Ahmed",
    "Fatima",
    "Lucas",
    "Sofia",
    "Ethan",
    "Chloe",
    "Noah",
    "Mia",
    "Arjun",
    "Priya",
    "Tomasz",
    "Hana",
    "Sven",
    "Ingrid",
]
LAST: Final = [
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Tanaka",
    "Suzuki",
    "Kim",
    "Lee",
    "Park",
    "Kowalski",
    "Nowak",
    "Shevchenko",
    "Kovalenko",
    "Santos",
    "Silva",
    "Nguyen",
    "Tran",
    "Wang",
    "Li",
    "Hassan",
    "Ali",
    "Muller",
    "Schmidt",
    "Martin",
    "Garcia",
    "Rossi",
    "Andersen",
    "Jensen",
    "Dubois",
    "Moreau",
]
SCHOOLS: Final = (
    "MIT",
    "University of Toronto",
    "Stanford University",
    "Warsaw University of Technology",
    "Kyiv Polytechnic Institute",
    "University of Tokyo",
    "Seoul National University",
    "National University of Singapore",
    "University of Sao Paulo",
    "TU Munich",
    "University of Manchester",
)
EMPLOYERS: Final = (
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Labs",
    "Hooli",
    "Vandelay Industries",
    "Stark Digital",
    "Wayne Software",
    "Cyberdyne",
    "Soylent Systems",
)
STREETS: Final = ("Oak", "Maple", "Pine", "Cedar", "Elm", "Lake", "Hill", "Park", "Main", "River")
REMOTE_TOOLS: Final = ("AnyDesk", "TeamViewer", "Chrome Remote Desktop", "RustDesk")
CAREFUL: Final = 0.05
"""The share of DPRK-like workers who show only two (individual) indicators: the hard cases
that a threshold of three weak indicators misses by design."""
TEAM_INDICATORS: Final = ("ITW-02", "ITW-05", "ITW-08", "ITW-09", "ITW-10", "ITW-11", "ITW-12")
OWN_INDICATORS: Final = ("ITW-01", "ITW-03", "ITW-04", "ITW-06", "ITW-07")
LOOKALIKES: Final = {
    "traveller": "ITW-01",
    "vpn_user": "ITW-01",
    "shared_office": "ITW-02",
    "night_shift": "ITW-03",
    "remote_admin": "ITW-04",
    "agency": "ITW-05",
    "joint_account": "ITW-05",
    "crypto_paid": "ITW-06",
    "relocated": "ITW-07",
    "generous_client": "ITW-10",
    "couple": "",  # two workers at one address: under the rule's three
}
"""Each look-alike kind and the rule it may trip on its own ("" for none)."""


@dataclass(frozen=True)
class Config:
    seed: int = 7
    workers: int = 2000
    dprk_share: float = 0.05
    lookalike_share: float = 0.25
    photos: bool = True  # write image files (else precomputed hashes)


@dataclass
class Worker:
    worker_id: str
    name: str
    home: str
    email: str
    school: str
    employer: str
    address: str
    account: str
    bank: str
    ip: str
    photo: int  # the index of the picture in the photo bank
    dprk: bool = False
    team: str | None = None
    planted: set[str] = field(default_factory=set)
    lookalike: list[str] = field(default_factory=list)


class _Population:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.profiles: list[dict[str, str]] = []
        self.logins: list[dict[str, str]] = []
        self.payouts: list[dict[str, str]] = []
        self.events: list[dict[str, str]] = []
        self.photos: list[tuple[int, int]] = []  # (picture, variant) for each photo file
        self.pictures = 0
        self.clients = 0
        self.boosters: list[str] = []
        # worker numbers in random order, so that an id says nothing about who is planted
        self.numbers = list(range(2 * config.workers + 100))
        self.rng.shuffle(self.numbers)

    # -- identities ------------------------------------------------------------------------

    def ip(self) -> str:
        r = self.rng
        return f"{r.randint(11, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def picture(self) -> int:
        self.pictures += 1
        return self.pictures - 1

    def address(self) -> str:
        r = self.rng
        return f"{r.randint(1, 999)} {r.choice(STREETS)} Street, Apt {r.randint(1, 40)}"

    def bank(self, country: str) -> str:
        return f"{country}{self.rng.randint(10, 99)}BANK{self.rng.randrange(10**12):012d}"

    def worker(self, n: int, home: str) -> Worker:
        r = self.rng
        first, last = r.choice(FIRST), r.choice(LAST)
        n = self.numbers[n]
        return Worker(
            worker_id=f"W{n:05d}",
            name=f"{first} {last}",
            home=home,
            email=f"{first.lower()}.{last.lower()}{n}@example-mail.test".replace("-", ""),
            school=r.choice(SCHOOLS),
            employer=r.choice(EMPLOYERS),
            address=self.address(),
            account=f"acct-{n:05d}",
            bank=self.bank(home),
            ip=self.ip(),
            photo=self.picture(),
        )

    def client(self) -> str:
        self.clients += 1
        return f"C{self.clients:05d}"

    # -- rows ------------------------------------------------------------------------------

    def profile(self, w: Worker, **over: str) -> None:
        variant = int(over.pop("variant", "0"))
        picture = int(over.pop("picture", str(w.photo)))
        self.photos.append((picture, variant))
        row = {
            "worker_id": w.worker_id,
            "profile_id": f"{w.worker_id}-{len(self.profiles)}",
            "platform": "freelance",
            "name": w.name,
            "email": w.email,
            "nationality": w.home,
            "location": f"{w.home}",
            "education": f"BSc Computer Science, {w.school}",
            "work_history": f"Software engineer at {w.employer}",
            "photo": f"photos/p{len(self.photos) - 1:05d}.png",
            "document_hash": hashlib.sha256(f"doc-{w.worker_id}".encode()).hexdigest(),
            "accounts": w.account,
            "shipping_address": f"{w.address}, {w.home}",
        }
        row.update(over)
        self.profiles.append(row)

    def sessions(
        self,
        w: Worker,
        countries: list[str] | None = None,
        ips: list[str] | None = None,
        count: int | None = None,
        hours: tuple[float, float] = (1, 9),
        tool: str = "",
        port: str = "",
    ) -> None:
        """Ordinary working sessions: one a day or so, ``hours`` long, from the worker's
        home IP unless ``ips`` (with ``countries``) are given."""
        r = self.rng
        count = count or r.randint(15, 40)
        days = sorted(r.sample(range(DAYS), min(count, DAYS)))
        for day in days:
            start = START + timedelta(days=day, hours=r.uniform(6, 12))
            i = r.randrange(len(ips)) if ips else 0
            self.login(
                w,
                start,
                start + timedelta(hours=r.uniform(*hours)),
                ips[i] if ips else w.ip,
                countries[i] if countries else w.home,
                tool=tool,
                port=port,
            )

    def login(
        self,
        w: Worker,
        start: datetime,
        end: datetime,
        ip: str,
        country: str,
        tool: str = "",
        port: str = "",
    ) -> None:
        self.logins.append(
            {
                "account_id": w.account,
                "timestamp": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "ended": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "ip": ip,
                "country": country,
                "user_agent": "Mozilla/5.0",
                "remote_tool": tool,
                "port": port,
            }
        )

    def pay(
        self,
        w: Worker,
        destination: str,
        country: str,
        method: str = "bank",
        currency: str = "USD",
        count: int = 2,
    ) -> None:
        for month in range(count):
            ts = START + timedelta(days=30 * month + self.rng.randint(25, 29))
            self.payouts.append(
                {
                    "worker_id": w.worker_id,
                    "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "amount": f"{self.rng.randint(1500, 9000)}.00",
                    "currency": currency,
                    "method": method,
                    "destination": destination,
                    "destination_country": country,
                }
            )

    def engage(
        self,
        client: str,
        w: Worker,
        rating: float,
        day: int,
        account: str = "",
        event: str = "review",
    ) -> None:
        ts = START + timedelta(days=day, hours=self.rng.randint(0, 23))
        self.events.append(
            {
                "client_id": client,
                "worker_id": w.worker_id,
                "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "event": event,
                "rating": f"{rating:.1f}" if event == "review" else "",
                "payment_account": account,
            }
        )

    def ordinary_work(self, w: Worker) -> None:
        """Two clients over the period, decent ratings, some weeks apart."""
        for _ in range(self.rng.randint(1, 2)):
            client = self.client()
            self.engage(client, w, 0, self.rng.randint(0, 10), event="hire")
            self.engage(client, w, self.rng.choice([3.5, 4.0, 4.5, 5.0]), self.rng.randint(30, 59))


def generate(config: Config, out: Path) -> dict[str, Any]:
    """Write the population under ``out`` (profiles.csv, logins.csv, payouts.csv,
    clients.csv, photos/, truth.json) and return the truth."""
    pop = _Population(config)
    r = pop.rng
    n_dprk = max(3, round(config.workers * config.dprk_share))
    n_look = round(config.workers * config.lookalike_share)
    workers: list[Worker] = []
    # DPRK-like workers, in teams of three to six
    while len(workers) < n_dprk:
        size = min(r.randint(3, 6), n_dprk - len(workers))
        if size < 3 and workers:  # too few left for a team: join the last one
            size = n_dprk - len(workers)
        _dprk_team(pop, workers, size)
    # look-alikes
    kinds = list(LOOKALIKES)
    made = 0
    while made < n_look:
        kind = r.choice(kinds)
        made += _lookalike(pop, workers, kind)
    # everyone else
    while len(workers) < config.workers:
        w = pop.worker(len(workers), r.choice(HOMES))
        workers.append(w)
        _ordinary(pop, w)
    # a second lookalike trait for some, as people are: a traveller who is also paid in crypto
    for w in r.sample([w for w in workers if w.lookalike], k=len(workers) // 40):
        extra = r.choice(["traveller", "crypto_paid", "remote_admin", "night_shift"])
        if extra not in w.lookalike:
            _trait(pop, w, extra)
            w.lookalike.append(extra)
    return _write(pop, workers, out)


def _ordinary(pop: _Population, w: Worker) -> None:
    pop.profile(w)
    pop.sessions(w)
    pop.pay(w, w.bank, w.home)
    pop.ordinary_work(w)


def _dprk_team(pop: _Population, workers: list[Worker], size: int) -> None:
    r = pop.rng
    team = f"T{len(workers):05d}"
    team_ind = set(r.sample(TEAM_INDICATORS, r.randint(2, 4)))
    farm = f"{r.randint(1, 999)} {r.choice(STREETS)} Street, Apt {r.randint(1, 40)}, US"
    team_ip = pop.ip()
    team_bank = f"CN{r.randint(10, 99)}BANK{r.randrange(10**12):012d}"
    template = hashlib.sha256(f"template-{team}".encode()).hexdigest()
    stock_photo = pop.picture()
    booster = pop.client()
    members = []
    careful = [r.random() < CAREFUL for _ in range(size)]
    if size - sum(careful) < 3:  # shared IP, boosting and a laptop farm need three workers
        team_ind -= {"ITW-02", "ITW-10", "ITW-12"}
    if size - sum(careful) < 2:
        team_ind = set()
    for alone in careful:
        w = pop.worker(len(workers), r.choice(DPRK_CLAIMS))
        w.dprk, w.team = True, team
        workers.append(w)
        members.append(w)
        if alone:  # works alone, on its own accounts: only two indicators
            w.planted = set(r.sample(OWN_INDICATORS, 2))
            continue
        own = set(r.sample(OWN_INDICATORS, r.randint(1, 3)))
        w.planted = team_ind | own
        while len(w.planted) < 3:
            w.planted.add(r.choice(OWN_INDICATORS))
    for w in members:
        p = w.planted
        over: dict[str, str] = {}
        if "ITW-12" in p:
            over["shipping_address"] = farm
        if "ITW-08" in p:
            over["document_hash"] = template
        if "ITW-09" in p:
            over["picture"] = str(stock_photo)
            over["variant"] = str(r.randint(0, 2))
        pop.profile(w, **over)
        if "ITW-07" in p:
            alias = f"{r.choice(FIRST)} {r.choice(LAST)}"
            pop.profile(
                w,
                name=alias,
                nationality=r.choice(DPRK_CLAIMS),
                location=r.choice(HOMES),
                education=f"MSc Mathematics, {r.choice(SCHOOLS)}",
                work_history=f"Lead developer at {r.choice(EMPLOYERS)}",
                picture=str(pop.picture()),
                **{k: v for k, v in over.items() if k not in ("picture", "variant")},
            )
        # where they log in from: the team's IP, their base via VPN exits, or home
        base = r.choice(DPRK_BASES)
        ips = [team_ip] if "ITW-02" in p else [w.ip]
        countries = [w.home]
        if "ITW-01" in p:
            ips = [*ips, pop.ip(), pop.ip()]
            countries = [*countries, base, r.choice(VPN_EXITS)]
            for _ in range(3):  # hops within the hour
                start = START + timedelta(days=r.randint(0, DAYS - 1), hours=r.uniform(0, 20))
                pop.login(w, start, start + timedelta(minutes=20), ips[0], w.home)
                later = start + timedelta(minutes=r.randint(25, 90))
                pop.login(w, later, later + timedelta(hours=2), ips[1], base)
        tool, port = "", ""
        if "ITW-04" in p:
            tool, port = r.choice([(r.choice(REMOTE_TOOLS), ""), ("", "3389")])
        pop.sessions(
            w, countries[:1] if "ITW-01" not in p else countries, ips, tool=tool, port=port
        )
        if "ITW-03" in p:
            start = START + timedelta(days=r.randint(0, DAYS - 3))
            for block in range(r.randint(4, 8)):  # back-to-back 8-hour shifts
                s = start + timedelta(hours=8 * block, minutes=r.randint(0, 5))
                pop.login(w, s, s + timedelta(hours=8), ips[0], countries[0], tool, port)
        # money
        destination, country, method, currency = w.bank, w.home, "bank", "USD"
        if "ITW-05" in p or "ITW-11" in p:
            destination, method = team_bank, "payment_account"
            country = "CN" if "ITW-06" in p else "US"
        if "ITW-06" in p:
            if destination == team_bank or r.random() < 0.5:  # the team's account stays
                country = "CN"
                if destination == w.bank:
                    destination = pop.bank("CN")
            else:
                destination, method, currency = f"T{r.randrange(16**33):033x}", "wallet", "USDT"
        pop.pay(w, destination, country, method, currency)
        # clients
        if "ITW-10" in p:
            pop.engage(booster, w, 5.0, r.randint(0, 20))
        if "ITW-11" in p:
            pop.engage(booster, w, 5.0, r.randint(0, 20), account=team_bank, event="payment")
        pop.ordinary_work(w)
    if any("ITW-10" in w.planted for w in members):
        pop.boosters.append(booster)


def _lookalike(pop: _Population, workers: list[Worker], kind: str) -> int:
    """Add one look-alike group of ``kind``; returns how many workers it made."""
    r = pop.rng
    size = {
        "shared_office": r.randint(4, 10),
        "agency": r.randint(3, 6),
        "couple": 2,
        "joint_account": 2,
        "generous_client": r.randint(3, 5),
    }.get(kind, 1)
    group = []
    for _ in range(size):
        w = pop.worker(len(workers), r.choice(HOMES))
        w.lookalike.append(kind)
        workers.append(w)
        group.append(w)
    home = group[0].home
    if kind in ("couple", "joint_account", "agency", "shared_office"):
        for w in group:
            w.home = home
    shared_ip, shared_bank, shared_addr = pop.ip(), pop.bank(home), pop.address()
    client = pop.client()
    office = kind == "agency" and r.random() < 0.5  # half the agencies share an office too
    if office:
        for w in group:
            w.lookalike.append("shared_office")
    for w in group:
        addr = f"{shared_addr}, {home}" if kind == "couple" else f"{w.address}, {w.home}"
        if kind == "relocated":
            pop.profile(w, shipping_address=addr)
            pop.profile(w, location=r.choice([h for h in HOMES if h != w.home]))
        else:
            pop.profile(w, shipping_address=addr)
        if kind == "shared_office" or (kind == "agency" and office):
            pop.sessions(w, [w.home], [shared_ip])
        else:
            pop.sessions(w)
        _trait(pop, w, kind)
        if kind in ("agency", "joint_account"):
            pop.pay(w, shared_bank, home)
        elif kind != "crypto_paid":
            pop.pay(w, w.bank, w.home)
        if kind == "generous_client":
            pop.engage(client, w, 0, r.randint(0, 5), event="hire")
            pop.engage(client, w, 5.0, r.randint(10, 25))
        else:
            pop.ordinary_work(w)
    return size


def _trait(pop: _Population, w: Worker, kind: str) -> None:
    """The log-ins or payouts that make ``w`` look like ``kind``."""
    r = pop.rng
    if kind == "traveller":  # a trip: home, then a few hours later abroad
        start = START + timedelta(days=r.randint(0, DAYS - 2), hours=7)
        abroad = r.choice([h for h in HOMES if h != w.home])
        pop.login(w, start, start + timedelta(hours=1), w.ip, w.home)
        later = start + timedelta(hours=r.uniform(3, 5.5))
        pop.login(w, later, later + timedelta(hours=2), pop.ip(), abroad)
    elif kind == "vpn_user":
        for _ in range(4):
            start = START + timedelta(days=r.randint(0, DAYS - 1), hours=r.uniform(6, 18))
            pop.login(w, start, start + timedelta(hours=1), pop.ip(), r.choice(VPN_EXITS))
            later = start + timedelta(minutes=r.randint(70, 200))
            pop.login(w, later, later + timedelta(hours=2), w.ip, w.home)
    elif kind == "night_shift":
        start = START + timedelta(days=r.randint(0, DAYS - 3))
        for block in range(3):
            s = start + timedelta(hours=9 * block, minutes=r.randint(0, 5))
            pop.login(w, s, s + timedelta(hours=9), w.ip, w.home)
    elif kind == "remote_admin":
        pop.sessions(w, count=5, tool=r.choice(REMOTE_TOOLS))
    elif kind == "crypto_paid":
        pop.pay(w, f"0x{r.randrange(16**40):040x}", w.home, "wallet", "USDC")


def _write(pop: _Population, workers: list[Worker], out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    profiles = pop.profiles
    if pop.config.photos:
        _photos(pop, out / "photos")
    else:
        from sanctrace.synthetic.itworker_photos import picture_hash

        for row, (picture, variant) in zip(profiles, pop.photos, strict=True):
            row["photo_hash"] = picture_hash(pop.config.seed, picture, variant)
            del row["photo"]
    _csv(out / "profiles.csv", profiles)
    _csv(out / "logins.csv", sorted(pop.logins, key=lambda x: (x["timestamp"], x["account_id"])))
    _csv(out / "payouts.csv", pop.payouts)
    _csv(out / "clients.csv", pop.events)
    truth = {
        "seed": pop.config.seed,
        "workers": {
            w.worker_id: {
                "dprk": w.dprk,
                "team": w.team,
                "planted": sorted(w.planted),
                "lookalike": w.lookalike,
            }
            for w in workers
        },
        "boosting_clients": sorted(pop.boosters),
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")
    return truth


def _photos(pop: _Population, folder: Path) -> None:
    from sanctrace.synthetic.itworker_photos import picture_image

    folder.mkdir(parents=True, exist_ok=True)
    for i, (picture, variant) in enumerate(pop.photos):
        picture_image(pop.config.seed, picture, variant).save(folder / f"p{i:05d}.png")


def _csv(path: Path, rows: list[dict[str, str]]) -> None:
    header = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=Config.workers)
    parser.add_argument("--seed", type=int, default=Config.seed)
    parser.add_argument("--no-photos", action="store_true", help="pHash column, no image files")
    args = parser.parse_args(argv)
    truth = generate(Config(args.seed, args.workers, photos=not args.no_photos), args.out)
    dprk = sum(w["dprk"] for w in truth["workers"].values())
    print(f"{len(truth['workers'])} workers ({dprk} DPRK-like) written to {args.out}")


if __name__ == "__main__":
    main()
