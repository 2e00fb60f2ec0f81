"""The seeded synthetic chain generator: bitcoin-etl and ethereum-etl files with a theft laundered
inside ordinary traffic, and the ground truth of where every stolen unit went.

Tracing and clustering cannot be judged on real chains, where nobody knows the answer. This
writes chains whose answer is known: a theft from an exchange hot wallet, splitting, peel chains,
consolidation, CoinJoins, bridge and mixer deposits and exchange deposits that the exchange later
sweeps, among background payments. Files are streamed (only the unspent outputs, balances and
the ground truth stay in memory) and built from a seeded RNG and hashes, so the same seed gives
the same bytes. The layout and every ground-truth field are described in docs/synthetic-chain.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import base58
import bech32

COIN = 100_000_000
ETHER = 10**18
GWEI = 10**9
DUST = 1_000
EXCHANGES = ("exchange-0", "exchange-1", "exchange-2")
EXCHANGE_LABELS = {"exchange-0": "Synthex", "exchange-1": "Coinhaven", "exchange-2": "Ledgerly"}
WASABI_DENOMINATION = 10_000_000
WHIRLPOOL_DENOMINATIONS = (1_000_000, 5_000_000)
ATTACKER = "attacker"
CATEGORY = {"exchange": "exchange", "mixer": "mixing_service", "bridge": "defi_bridge"}

ETH_TX_COLUMNS = (
    "hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,"
    "gas_price,input,block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,transaction_type,"
    "receipt_cumulative_gas_used,receipt_gas_used,receipt_contract_address,receipt_root,"
    "receipt_status,receipt_effective_gas_price"
)
ETH_TOKEN_COLUMNS = (
    "token_address,from_address,to_address,value,transaction_hash,log_index,block_number"
)
ETH_TRACE_COLUMNS = (
    "block_number,transaction_hash,transaction_index,from_address,to_address,value,input,output,"
    "trace_type,call_type,reward_type,gas,gas_used,subtraces,trace_address,error,status,trace_id"
)
ETH_BLOCK_COLUMNS = (
    "number,hash,parent_hash,nonce,sha3_uncles,logs_bloom,transactions_root,state_root,"
    "receipts_root,miner,difficulty,total_difficulty,size,extra_data,gas_limit,gas_used,timestamp,"
    "transaction_count,base_fee_per_gas,withdrawals_root,withdrawals"
)
EMPTY_UNCLES = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"
ZERO_ADDRESS = "0x" + "0" * 40


@dataclass(frozen=True)
class Config:
    """What to generate; ``transactions`` counts per chain, closing sweeps come on top."""

    seed: int
    transactions: int
    chain: str = "both"
    start_timestamp: int = 1_700_000_000

    @property
    def users(self) -> int:
        """Bounded, so that the ownership truth and the unspent set stay small at 10M."""
        return max(40, min(self.transactions // 25, 20_000))


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()


def _hash_int(*parts: object) -> int:
    """A number drawn from the seed without touching the RNG's sequence."""
    return int.from_bytes(_digest(*parts)[:4], "big")


class Ledger:
    """Where the stolen units are, one asset at a time: pure stolen holdings, exits, fees and
    the amounts that met clean funds. Every stolen unit is in exactly one of these."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.stolen = 0
        self.exits: dict[str, dict[str, Any]] = {}
        self.fees = 0
        self.fee_transactions: list[str] = []
        self.mixed: list[dict[str, Any]] = []
        self.after_mixing: dict[str, dict[str, Any]] = {}

    def exit(
        self,
        book: dict[str, dict[str, Any]],
        address: str,
        owner: str,
        owners: dict[str, dict[str, str]],
        amount: int,
        tx: str,
    ) -> None:
        row = book.get(address)
        if row is None:
            info = owners[owner]
            row = book[address] = {
                "address": address,
                "owner": owner,
                "category": info["category"],
                "label": info["label"],
                "tagged": False,
                "amount": 0,
                "transactions": [],
                "swept_by": [],
            }
        row["amount"] += amount
        row["transactions"].append(tx)

    def to_json(self, unspent: dict[str, int], tagged: set[str]) -> dict[str, Any]:
        for book in (self.exits, self.after_mixing):
            for row in book.values():
                row["tagged"] = row["address"] in tagged
        exits = sorted(self.exits.values(), key=lambda r: r["address"])
        holdings = [{"address": a, "amount": v} for a, v in sorted(unspent.items()) if v]
        mixed_total = sum(m["stolen_in"] for m in self.mixed)
        return {
            "unit": self.unit,
            "stolen": self.stolen,
            "exits": exits,
            "fees": self.fees,
            "fee_transactions": self.fee_transactions,
            "unspent": holdings,
            "mixed": self.mixed,
            "after_mixing": sorted(self.after_mixing.values(), key=lambda r: r["address"]),
            "balance": {
                "stolen": self.stolen,
                "exits": sum(r["amount"] for r in exits),
                "fees": self.fees,
                "unspent": sum(h["amount"] for h in holdings),
                "mixed": mixed_total,
            },
        }


# --------------------------------------------------------------------------------------------
# Bitcoin (UTXO)


Utxo = tuple[str, int, "BtcAddress", int]
"""(transaction hash, output index, address, value)."""


class BtcAddress:
    """An address with the JSON fragments of outputs and inputs paying it, built once."""

    __slots__ = ("address", "in_json", "out_json", "owner", "wallet")

    def __init__(self, seed: int, label: str, owner: str, wallet: list[Utxo]) -> None:
        h160 = _digest(seed, "btc", label)[:20]
        if h160[0] < 52:  # about one in five is native segwit
            # bech32.encode would decode its result again to check it: twice the time
            words = bech32.convertbits(h160, 8, 5)
            assert words is not None
            self.address: str = bech32.bech32_encode("bc", [0, *words])
            kind, asm, hexs = "witness_v0_keyhash", f"0 {h160.hex()}", f"0014{h160.hex()}"
        else:
            self.address = base58.b58encode_check(b"\x00" + h160).decode()
            kind = "pubkeyhash"
            asm = f"OP_DUP OP_HASH160 {h160.hex()} OP_EQUALVERIFY OP_CHECKSIG"
            hexs = f"76a914{h160.hex()}88ac"
        self.owner = owner
        self.wallet = wallet  # where outputs paying this address are kept until spent
        self.out_json = (
            f'"script_asm": "{asm}", "script_hex": "{hexs}", "required_signatures": 1, '
            f'"type": "{kind}", "addresses": ["{self.address}"], "value": '
        )
        self.in_json = (
            f'"script_asm": "", "script_hex": "", "sequence": 4294967295, '
            f'"required_signatures": null, "type": "{kind}", "addresses": ["{self.address}"], '
            '"value": '
        )


class BtcChain:
    """Writes blocks.json and transactions.json and keeps the unspent outputs per owner."""

    def __init__(self, cfg: Config, out: Path, rng: random.Random) -> None:
        self.cfg, self.rng = cfg, rng
        self.key = _digest(cfg.seed, "btc-tx")
        self.tx_file: IO[str] = (out / "transactions.json").open("w", encoding="utf-8")
        self.block_file: IO[str] = (out / "blocks.json").open("w", encoding="utf-8")
        self.count = 0
        self.block_size = 250
        self.block = -1
        self.block_index = 0
        self.block_hash = ""
        self.block_timestamp = cfg.start_timestamp
        self.block_bytes = 0
        self.wallets: dict[str, list[Utxo]] = {}
        self.addresses: dict[str, list[BtcAddress]] = {}
        self.owners: dict[str, dict[str, str]] = {}
        self.ownership: dict[str, str] = {}
        self.tagged: set[str] = set()
        self.fresh = 0
        self.ledger = Ledger("satoshi")
        self.pure: dict[tuple[str, int], BtcAddress] = {}
        self.pure_value: dict[tuple[str, int], int] = {}
        self.postmix: set[tuple[str, int]] = set()
        self.exit_outpoints: dict[tuple[str, int], str] = {}
        self.coinjoins: list[dict[str, Any]] = []
        self.watch: Callable[[str, list[Utxo], list[tuple[BtcAddress, int]]], None] | None = None

    # actors and addresses
    def owner(self, owner: str, kind: str, label: str = "", category: str = "") -> None:
        self.owners[owner] = {"kind": kind, "label": label, "category": category}
        self.wallets.setdefault(owner, [])
        self.addresses.setdefault(owner, [])

    def new_address(self, owner: str, wallet: list[Utxo] | None = None) -> BtcAddress:
        """A fresh address; one with its own ``wallet`` (a deposit address) is never reused."""
        self.fresh += 1
        if wallet is None:
            addr = BtcAddress(self.cfg.seed, f"{owner}/{self.fresh}", owner, self.wallets[owner])
            self.addresses[owner].append(addr)
        else:
            addr = BtcAddress(self.cfg.seed, f"{owner}/{self.fresh}", owner, wallet)
        self.ownership[addr.address] = owner
        return addr

    def address_of(self, owner: str) -> BtcAddress:
        """One of the owner's addresses; owners reuse up to four."""
        known = self.addresses[owner]
        if len(known) < 4 and (not known or self.rng.random() < 0.3):
            return self.new_address(owner)
        return known[self.rng.randrange(len(known))]

    # writing
    def new_block(self) -> None:
        self._close_block()
        self.block += 1
        self.block_index = 0
        self.block_bytes = 80
        self.block_hash = "00000000" + _digest(self.cfg.seed, "btc-block", self.block).hex()[8:]
        self.block_timestamp = self.cfg.start_timestamp + 600 * self.block
        pool = self.address_of("pool")
        self._write([], [(pool, 50 * COIN)], 0, 50 * COIN, coinbase=True)

    def _close_block(self) -> None:
        if self.block < 0:
            return
        b, ts = self.block, self.cfg.start_timestamp + 600 * self.block
        merkle = _digest(self.cfg.seed, "btc-merkle", b).hex()
        self.block_file.write(
            f'{{"type": "block", "hash": "{self.block_hash}", "size": {self.block_bytes}, '
            f'"stripped_size": '
            f'{self.block_bytes}, "weight": {4 * self.block_bytes}, "number": {b}, '
            f'"version": 536870912, "merkle_root": "{merkle}", "timestamp": {ts}, '
            f'"nonce": "{b:08x}", "bits": "17034219", "coinbase_param": "03{b:06x}", '
            f'"transaction_count": {self.block_index}}}\n'
        )

    def _write(
        self,
        inputs: list[Utxo],
        outputs: list[tuple[BtcAddress, int]],
        in_value: int,
        out_value: int,
        coinbase: bool = False,
    ) -> str:
        if self.block_index >= self.block_size and not coinbase:
            self.new_block()
        self.count += 1
        txid = hashlib.sha256(self.key + self.count.to_bytes(8, "big")).hexdigest()
        fee = in_value - out_value if inputs else 0
        ins = ", ".join(
            f'{{"index": {i}, "spent_transaction_hash": "{u[0]}", "spent_output_index": {u[1]}, '
            f"{u[2].in_json}{u[3]}}}"
            for i, u in enumerate(inputs)
        )
        outs = ", ".join(f'{{"index": {i}, {a.out_json}{v}}}' for i, (a, v) in enumerate(outputs))
        size = 10 + 148 * len(inputs) + 34 * len(outputs)
        self.block_bytes += size
        ts = self.block_timestamp
        self.tx_file.write(
            f'{{"hash": "{txid}", "size": {size}, "virtual_size": {size}, "version": 2, '
            f'"lock_time": 0, "block_number": {self.block}, "block_hash": "{self.block_hash}", '
            f'"block_timestamp": {ts}, "is_coinbase": {"true" if coinbase else "false"}, '
            f'"index": {self.block_index}, "inputs": [{ins}], "outputs": [{outs}], '
            f'"input_count": {len(inputs)}, "output_count": {len(outputs)}, '
            f'"input_value": {in_value}, "output_value": {out_value}, "fee": {fee}}}\n'
        )
        self.block_index += 1
        if self.exit_outpoints:
            self._swept(txid, inputs)
        if self.pure or self.postmix:
            self._account(txid, inputs, outputs, fee)
        for i, (a, v) in enumerate(outputs):
            a.wallet.append((txid, i, a, v))
        return txid

    def send(self, inputs: list[Utxo], outputs: list[tuple[BtcAddress, int]]) -> str:
        """Spends ``inputs`` (taken out of their wallets) into ``outputs``; the rest is fee."""
        in_value = 0
        for u in inputs:
            in_value += u[3]
        out_value = 0
        for _, v in outputs:
            if v < 0:
                raise ValueError("negative output")
            out_value += v
        if out_value > in_value or not inputs:
            raise ValueError("a transaction must spend outputs worth at least what it pays")
        paid = outputs if all(v for _, v in outputs) else [(a, v) for a, v in outputs if v]
        return self._write(inputs, paid, in_value, out_value)

    def fee(self, n_in: int, n_out: int) -> int:
        return (10 + 68 * n_in + 31 * n_out) * self.rng.randint(1, 20)

    def take(self, owner: str, n: int) -> list[Utxo]:
        wallet = self.wallets[owner]
        taken = wallet[-n:]
        del wallet[-n:]
        return taken

    def take_utxo(self, owner: str, utxo: Utxo) -> Utxo:
        self.wallets[owner].remove(utxo)
        return utxo

    # the ground truth of stolen funds
    def _swept(self, txid: str, inputs: list[Utxo]) -> None:
        """Notes the transaction that moves an exit's coins on (the exchange's sweep)."""
        for u in inputs:
            addr = self.exit_outpoints.pop((u[0], u[1]), None)
            if addr is None:
                continue
            for book in (self.ledger.exits, self.ledger.after_mixing):
                if addr in book and txid not in book[addr]["swept_by"]:
                    book[addr]["swept_by"].append(txid)

    def _account(
        self, txid: str, inputs: list[Utxo], outputs: list[tuple[BtcAddress, int]], fee: int
    ) -> None:
        """Follows stolen outputs through a transaction (the rule is in docs/synthetic-chain.md):
        spent with stolen coins only, the fee is stolen and the outputs are stolen or exits;
        spent with other coins, the stolen part is recorded as mixed and no longer followed."""
        stolen_in = other_in = 0
        post = False
        for u in inputs:
            key = (u[0], u[1])
            if key in self.pure_value:
                stolen_in += self.pure_value.pop(key)
                del self.pure[key]
            else:
                other_in += u[3]
                if key in self.postmix:
                    self.postmix.discard(key)
                    post = True
        if stolen_in == 0 and not post:
            return
        pure = stolen_in > 0 and other_in == 0
        if pure:
            self.ledger.fees += fee
            self.ledger.fee_transactions.append(txid)
        elif stolen_in:
            pattern = (
                self.coinjoins[-1]["pattern"]
                if self.coinjoins and self.coinjoins[-1]["transaction"] == ""
                else "consolidation_with_clean"
            )
            self.ledger.mixed.append(
                {"transaction": txid, "kind": pattern, "stolen_in": stolen_in, "clean_in": other_in}
            )
        for i, (a, v) in enumerate(outputs):
            key = (txid, i)
            if a.owner == ATTACKER:
                if pure:
                    self.pure[key] = a
                    self.pure_value[key] = v
                else:
                    self.postmix.add(key)
            else:
                book = self.ledger.exits if pure else self.ledger.after_mixing
                if self.owners[a.owner]["category"]:
                    self.ledger.exit(book, a.address, a.owner, self.owners, v, txid)
                    self.exit_outpoints[key] = a.address
                elif pure:
                    raise AssertionError(f"stolen funds paid to {a.owner}, which is no exit")

    def close(self) -> None:
        self._close_block()
        self.tx_file.close()
        self.block_file.close()


class BtcWorld:
    """The actors of the bitcoin chain and what they do: background payments, exchange deposits,
    sweeps and withdrawals, pool payouts, CoinJoin rounds, and the attacker's script."""

    def __init__(self, cfg: Config, out: Path) -> None:
        self.cfg = cfg
        self.rng = random.Random(f"{cfg.seed}-btc")
        self.c = BtcChain(cfg, out, self.rng)
        c = self.c
        self.users = [f"user-{i}" for i in range(cfg.users)]
        for u in self.users:
            c.owner(u, "user")
        c.owner("pool", "miner", "mining pool")
        for e in EXCHANGES:
            c.owner(e, "exchange", EXCHANGE_LABELS[e], "exchange")
        c.owner("mixer", "mixer", "Synthetic CoinJoin coordinator", "mixing_service")
        c.owner("bridge", "bridge", "Synthetic bridge", "defi_bridge")
        c.owner(ATTACKER, "attacker", "attacker")
        self.hot = {e: c.new_address(e) for e in EXCHANGES}
        self.coordinator = c.new_address("mixer")
        self.bridge = c.new_address("bridge")
        c.tagged.update(a.address for a in (*self.hot.values(), self.coordinator, self.bridge))
        self.deposit_addresses: dict[tuple[str, str], BtcAddress] = {}
        self.pending: dict[str, list[Utxo]] = {e: [] for e in EXCHANGES}
        """Deposit outputs not yet swept, per exchange; its wallet holds only hot outputs."""
        self.peel_chains: list[dict[str, Any]] = []
        self.theft: dict[str, Any] = {}

    # exchange plumbing: deposits land in the exchange's wallet; pending ones wait for a sweep
    def deposit_address(self, account: str, exchange: str) -> BtcAddress:
        key = (account, exchange)
        addr = self.deposit_addresses.get(key)
        if addr is None:
            addr = self.c.new_address(exchange, self.pending[exchange])
            self.deposit_addresses[key] = addr
        return addr

    def _collect_deposits(self) -> None:
        """Moves deposit outputs from the exchange's wallet to its pending list."""
        for e in EXCHANGES:
            wallet = self.c.wallets[e]
            hot = self.hot[e]
            keep = [u for u in wallet if u[2] is hot]
            self.pending[e].extend(u for u in wallet if u[2] is not hot)
            self.c.wallets[e] = keep

    def sweep(self, exchange: str, limit: int = 100) -> None:
        pending = self.pending[exchange]
        if not pending:
            return
        batch = pending[:limit]
        del pending[:limit]
        total = sum(u[3] for u in batch)
        fee = min(self.c.fee(len(batch), 1), total // 2)
        self.c.send(batch, [(self.hot[exchange], total - fee)])

    def pay(
        self, payer: str, to: BtcAddress, fraction: float | None = None, inputs: int = 3
    ) -> str | None:
        """A payment with change back to the payer; None when the payer cannot afford one."""
        if not self.c.wallets[payer]:
            return None
        ins = self.c.take(payer, inputs)
        total = sum(u[3] for u in ins)
        fee = self.c.fee(len(ins), 2)
        spendable = total - fee
        if spendable < 10 * DUST:
            self.c.wallets[payer].extend(ins)
            return None
        amount = int(
            spendable * (fraction if fraction is not None else self.rng.uniform(0.05, 0.7))
        )
        if fraction is None and self.rng.random() < 0.3 and amount > 100_000:
            amount -= amount % 100_000  # round amounts are what people pay
        change = spendable - amount
        if change < DUST:
            amount, change = spendable, 0
        back = self.hot[payer] if payer in self.hot else self.c.address_of(payer)
        outs = [(to, amount), (back, change)]
        if self.rng.random() < 0.5:
            outs.reverse()
        return self.c.send(ins, outs)

    def payout(self) -> None:
        """The pool pays out block rewards to many users, now and then to the exchanges."""
        ins = self.c.take("pool", 2)
        if not ins:
            return
        total = sum(u[3] for u in ins)
        n = self.rng.randint(8, 20)
        fee = self.c.fee(len(ins), n + 1)
        share = (total - fee) // (n + 1)
        if share < 100 * DUST:
            self.c.wallets["pool"].extend(ins)
            return
        outs = [(self.c.address_of(self.rng.choice(self.users)), share) for _ in range(n)]
        if self.rng.random() < 0.3:
            outs[0] = (self.hot[self.rng.choice(EXCHANGES)], share)
        outs.append((self.c.address_of("pool"), total - fee - share * n))
        self.c.send(ins, outs)

    def background(self) -> None:
        """One ordinary transaction; a new block (its coinbase) when nobody could pay."""
        before = self.c.count
        self._ordinary()
        if self.c.count == before:
            self.c.new_block()

    def _ordinary(self) -> None:
        r = self.rng.random()
        user = self.rng.choice(self.users)
        if r < 0.12:
            exchange = self.rng.choice(EXCHANGES)
            done = self.pay(user, self.deposit_address(user, exchange))
        elif r < 0.2:
            exchange = self.rng.choice(EXCHANGES)
            done = self.pay(
                exchange, self.c.address_of(user), self.rng.uniform(0.01, 0.1), inputs=1
            )
        else:
            done = self.pay(user, self.c.address_of(self.rng.choice(self.users)))
        if done is None:
            self.payout()

    # CoinJoins
    def _participants(self, n: int, need: int) -> list[tuple[str, Utxo]]:
        chosen: list[tuple[str, Utxo]] = []
        seen: set[str] = set()
        for _ in range(n * 6):
            user = self.rng.choice(self.users)
            if user in seen:
                continue
            wallet = self.c.wallets[user]
            fit = [u for u in wallet if u[3] >= need]
            if fit:
                seen.add(user)
                chosen.append((user, self.c.take_utxo(user, fit[0])))
                if len(chosen) == n:
                    break
        return chosen

    def coinjoin(self, pattern: str, attacker: list[Utxo] | None = None) -> str | None:
        """A CoinJoin round of users, with the attacker's coins when given."""
        attacker = attacker or []
        if pattern == "whirlpool":
            return self._whirlpool(attacker)
        n = self.rng.randint(8, 20) if pattern == "wasabi" else self.rng.randint(3, 8)
        denom = (
            WASABI_DENOMINATION
            if pattern == "wasabi"
            else self.rng.choice((2, 5, 10, 20)) * 1_000_000
        )
        coord = denom * 3 // 1000 if pattern == "wasabi" else 0
        share = 2_000
        need = denom + coord + share + DUST
        people = self._participants(n - (1 if attacker else 0), need)
        if len(people) + (1 if attacker else 0) < 3:
            for user, u in people:
                self.c.wallets[user].append(u)
            return None
        ins: list[Utxo] = []
        equal: list[tuple[BtcAddress, int]] = []
        change: list[tuple[BtcAddress, int]] = []
        for user, u in people:
            ins.append(u)
            # CoinJoin wallets take mixed outputs at fresh addresses (mixing into a reused
            # address would undo the mix); change goes where the wallet usually puts it
            equal.append((self.c.new_address(user), denom))
            change.append((self.c.address_of(user), u[3] - denom - coord - share))
        if attacker:
            ins.extend(attacker)
            total = sum(u[3] for u in attacker)
            k = max(1, min(5, (total - 2 * share) // (denom + coord + share)))
            for _ in range(k):
                equal.append((self.c.new_address(ATTACKER), denom))
            rest = total - k * (denom + coord + share)
            if rest < 0:
                raise ValueError("the attacker's coin is too small for this round")
            change.append((self.c.new_address(ATTACKER), rest))
        outs = equal + change
        if coord:
            outs.append((self.coordinator, coord * len(equal)))
        self.rng.shuffle(ins)
        self.rng.shuffle(outs)
        return self._round(pattern, ins, outs, denom)

    def _round(
        self, pattern: str, ins: list[Utxo], outs: list[tuple[BtcAddress, int]], denom: int
    ) -> str:
        record = {"transaction": "", "pattern": pattern, "inputs": len(ins), "denomination": denom}
        self.c.coinjoins.append(record)
        txid = self.c.send(ins, outs)
        record["transaction"] = txid
        return txid

    def _tx0(self, owner: str, source: Utxo, premix: int) -> Utxo:
        """Whirlpool's tx0: one exact premix output and change."""
        fee = self.c.fee(1, 2)
        to = self.c.new_address(owner) if owner == ATTACKER else self.c.address_of(owner)
        back = self.c.new_address(owner) if owner == ATTACKER else self.c.address_of(owner)
        txid = self.c.send([source], [(to, premix), (back, source[3] - premix - fee)])
        wallet = self.c.wallets[owner]
        utxo = next(u for u in wallet if u[0] == txid and u[3] == premix)
        wallet.remove(utxo)
        return utxo

    def _whirlpool(self, attacker: list[Utxo]) -> str | None:
        denom = self.rng.choice(WHIRLPOOL_DENOMINATIONS)
        premix = denom + 1_000
        people = self._participants(5 - len(attacker), premix + 20_000 + DUST)
        if len(people) + len(attacker) < 5:
            for user, u in people:
                self.c.wallets[user].append(u)
            return None
        ins = [self._tx0(user, u, premix) for user, u in people]
        outs = [(self.c.new_address(user), denom) for user, _ in people]
        for u in attacker:
            ins.append(self._tx0(ATTACKER, u, premix))
            outs.append((self.c.new_address(ATTACKER), denom))
        self.rng.shuffle(ins)
        self.rng.shuffle(outs)
        return self._round("whirlpool", ins, outs, denom)

    # the attacker
    def attacker_script(self) -> Iterator[None]:
        """The theft and its laundering, one transaction (or round) per step."""
        c, rng = self.c, self.rng
        victim = EXCHANGES[0]
        hot = c.wallets[victim]
        while sum(u[3] for u in hot) < 20 * COIN:
            ins = c.take("pool", 3)
            if ins:
                c.send(ins, [(self.hot[victim], sum(u[3] for u in ins) - c.fee(len(ins), 1))])
            yield
        mine = sorted(hot, key=lambda u: -u[3])[:5]
        for u in mine:
            hot.remove(u)
        total = sum(u[3] for u in mine)
        spend = total - c.fee(len(mine), 3)
        stolen = [spend * 5 // 10, spend * 3 // 10]
        stolen.append(spend - sum(stolen))
        thief = [c.new_address(ATTACKER) for _ in range(3)]
        theft = c.send(mine, list(zip(thief, stolen, strict=True)))
        for i, (a, v) in enumerate(zip(thief, stolen, strict=True)):
            c.pure[(theft, i)] = a
            c.pure_value[(theft, i)] = v
        c.ledger.stolen = spend
        self.theft = {
            "transactions": [theft],
            "victim": victim,
            "victim_address": self.hot[victim].address,
            "outputs": [
                {"transaction": theft, "index": i, "address": a.address, "amount": v}
                for i, (a, v) in enumerate(zip(thief, stolen, strict=True))
            ],
            "amount": spend,
            "block_number": c.block,
        }
        yield

        def held(addr: BtcAddress) -> Utxo:
            return next(u for u in c.wallets[ATTACKER] if u[2] is addr)

        # splitting: the largest output into six
        a0 = c.take_utxo(ATTACKER, held(thief[0]))
        parts = [c.new_address(ATTACKER) for _ in range(6)]
        fee = c.fee(1, 6)
        each = (a0[3] - fee) // 6
        c.send([a0], [(p, each) for p in parts[:-1]] + [(parts[-1], a0[3] - fee - 5 * each)])
        yield

        # a peel chain: one large change, one small payment to an exchange deposit per hop
        current = c.take_utxo(ATTACKER, held(thief[1]))
        hops: list[str] = []
        payments: list[dict[str, Any]] = []
        for hop in range(rng.randint(6, 9)):
            exchange = EXCHANGES[1 + hop % 2]
            to = self.deposit_address(f"attacker-account-{hop}", exchange)
            fee = c.fee(1, 2)
            pay = current[3] * rng.randint(2, 6) // 100
            nxt = c.new_address(ATTACKER)
            txid = c.send([current], [(nxt, current[3] - pay - fee), (to, pay)])
            hops.append(txid)
            payments.append({"transaction": txid, "address": to.address, "amount": pay})
            current = c.take_utxo(ATTACKER, held(nxt))
            yield
        self.peel_chains.append({"transactions": hops, "payments": payments})
        c.wallets[ATTACKER].append(current)

        # a bridge hop with all of the third theft output
        a2 = c.take_utxo(ATTACKER, held(thief[2]))
        c.send([a2], [(self.bridge, a2[3] - c.fee(1, 1))])
        yield

        # consolidation of stolen coins only, then part of it to the bridge
        two = [c.take_utxo(ATTACKER, held(p)) for p in parts[:2]]
        merged = c.new_address(ATTACKER)
        c.send(two, [(merged, sum(u[3] for u in two) - c.fee(2, 1))])
        yield
        m = c.take_utxo(ATTACKER, held(merged))
        rest = c.new_address(ATTACKER)
        fee = c.fee(1, 2)
        c.send([m], [(self.bridge, m[3] // 3), (rest, m[3] - m[3] // 3 - fee)])
        yield
        # an exchange deposit straight from the rest
        r = c.take_utxo(ATTACKER, held(rest))
        fee = c.fee(1, 2)
        c.send(
            [r],
            [
                (self.deposit_address("attacker-account-x", EXCHANGES[2]), r[3] // 2),
                (c.new_address(ATTACKER), r[3] - r[3] // 2 - fee),
            ],
        )
        yield

        # consolidation with clean coins: a withdrawal from an exchange to the attacker
        clean_to = c.new_address(ATTACKER)
        while self.pay(EXCHANGES[1], clean_to, 0.05, inputs=1) is None:
            yield
        yield
        clean = [u for u in c.wallets[ATTACKER] if u[2] is clean_to]
        if clean:
            dirty = c.take_utxo(ATTACKER, held(parts[2]))
            clean_u = c.take_utxo(ATTACKER, clean[0])
            mixed_to = c.new_address(ATTACKER)
            c.send([dirty, clean_u], [(mixed_to, dirty[3] + clean_u[3] - c.fee(2, 1))])
            yield
            u = c.take_utxo(ATTACKER, held(mixed_to))
            c.send(
                [u],
                [(self.deposit_address("attacker-account-m", EXCHANGES[1]), u[3] - c.fee(1, 1))],
            )
            yield

        # CoinJoins: Wasabi-like, Whirlpool-like, generic; the outputs then go to exchanges
        for pattern, part in (("wasabi", parts[3]), ("whirlpool", parts[4]), ("generic", parts[5])):
            utxo = c.take_utxo(ATTACKER, held(part))
            for _ in range(50):
                if self.coinjoin(pattern, [utxo]) is not None:
                    break
                yield  # not enough users with coins yet
            else:
                c.wallets[ATTACKER].append(utxo)
            yield
        for u in [u for u in c.wallets[ATTACKER] if (u[0], u[1]) in c.postmix][:4]:
            c.wallets[ATTACKER].remove(u)
            c.send(
                [u],
                [(self.deposit_address("attacker-account-post", EXCHANGES[2]), u[3] - c.fee(1, 1))],
            )
            yield

    def run(self) -> None:
        n = self.cfg.transactions
        c = self.c
        c.new_block()
        for e in EXCHANGES:
            c.send(c.take("pool", 1), [(self.hot[e], 50 * COIN - 10_000)])
            c.new_block()
        script = self.attacker_script()
        start, gap = int(n * 0.3), max(1, int(n * 0.55) // 60)
        script_done = False
        kinds = ("wasabi", "whirlpool", "generic")
        while c.count < n:
            k = c.count
            if not script_done and k >= start and (k - start) % gap == 0:
                script_done = next(script, True) is True
            elif k % 400 == 399:
                self.sweep(EXCHANGES[(k // 400) % 3])
            elif k % 900 == 899:
                self.coinjoin(kinds[(k // 900) % 3])
            if c.count == k:
                self.background()
        while not script_done:
            k = c.count
            script_done = next(script, True) is True
            if c.count == k:
                self.background()
        for e in EXCHANGES:
            while self.pending[e]:
                self.sweep(e)
        c.close()

    def truth(self) -> dict[str, Any]:
        c = self.c
        unspent: dict[str, int] = {}
        for key, addr in c.pure.items():
            unspent[addr.address] = unspent.get(addr.address, 0) + c.pure_value[key]
        return {
            "transactions": c.count,
            "blocks": c.block + 1,
            "theft": self.theft,
            "assets": {"BTC": c.ledger.to_json(unspent, c.tagged)},
            "peel_chains": self.peel_chains,
            "coinjoins": c.coinjoins,
            "owners": c.owners,
            "ownership": dict(sorted(c.ownership.items())),
            "tagged": sorted(c.tagged),
        }

    def tags(self) -> list[dict[str, Any]]:
        rows = [
            {
                "address": self.hot[e].address,
                "currency": "BTC",
                "label": f"{EXCHANGE_LABELS[e]} hot wallet",
                "category": "exchange",
                "actor": e,
            }
            for e in EXCHANGES
        ]
        rows.append(
            {
                "address": self.coordinator.address,
                "currency": "BTC",
                "label": "Synthetic CoinJoin coordinator",
                "category": "mixing_service",
                "actor": "mixer",
            }
        )
        rows.append(
            {
                "address": self.bridge.address,
                "currency": "BTC",
                "label": "Synthetic bridge",
                "category": "defi_bridge",
                "actor": "bridge",
            }
        )
        return rows


# --------------------------------------------------------------------------------------------
# Ethereum (accounts)


def _eth_address(seed: int, label: str) -> str:
    return "0x" + _digest(seed, "eth", label).hex()[:40]


def _word(value: int | str) -> str:
    if isinstance(value, str):
        return value[2:].rjust(64, "0")
    return f"{value:064x}"


TRANSFER = "0xa9059cbb"
MIX_DEPOSIT = "0xb214faa5"
MIX_WITHDRAW = "0x21a0adb6"
BRIDGE_DEPOSIT = "0xe9e05c42"
MINT = "0x40c10f19"


class EthChain:
    """Writes the ethereum-etl CSV files and keeps balances and nonces; refuses any overdraft."""

    def __init__(self, cfg: Config, out: Path, rng: random.Random) -> None:
        self.cfg, self.rng = cfg, rng
        self.key = _digest(cfg.seed, "eth-tx")
        self.files = {
            name: (out / f"{name}.csv").open("w", encoding="utf-8", newline="")
            for name in ("transactions", "token_transfers", "traces", "blocks")
        }
        self.files["transactions"].write(ETH_TX_COLUMNS + "\n")
        self.files["token_transfers"].write(ETH_TOKEN_COLUMNS + "\n")
        self.files["traces"].write(ETH_TRACE_COLUMNS + "\n")
        self.files["blocks"].write(ETH_BLOCK_COLUMNS + "\n")
        self.count = 0
        self.block_size = 100
        self.block = -1
        self.index = 0
        self.log_index = 0
        self.block_hash = self.parent = "0x" + "0" * 64
        self.gas_used = 0
        self.miner = ""
        self.balance: dict[str, int] = {}
        self.tokens: dict[str, int] = {}
        self.nonce: dict[str, int] = {}
        self.owners: dict[str, dict[str, str]] = {}
        self.ownership: dict[str, str] = {}
        self.tagged: set[str] = set()
        self.fresh = 0
        self.eth = Ledger("wei")
        self.tok = Ledger("token base unit")
        self.pure: set[str] = set()
        self.postmix: set[str] = set()
        self.token_address = ""
        self.funded: dict[str, dict[str, None]] = {e: {} for e in EXCHANGES}
        """Deposit addresses paid since their exchange's last sweep (a dict keeps the order)."""
        self.deposits: dict[str, dict[str, None]] = {}
        """Deposit address -> its exchange's ``funded``."""

    def owner(self, owner: str, kind: str, label: str = "", category: str = "") -> None:
        self.owners[owner] = {"kind": kind, "label": label, "category": category}

    def new_address(self, owner: str) -> str:
        self.fresh += 1
        addr = _eth_address(self.cfg.seed, f"{owner}/{self.fresh}")
        self.ownership[addr] = owner
        return addr

    def new_block(self) -> None:
        if self.block >= 0:
            self._close_block()
        self.block += 1
        self.parent = self.block_hash
        self.block_hash = "0x" + _digest(self.cfg.seed, "eth-block", self.block).hex()
        self.index = self.log_index = self.gas_used = 0

    def _close_block(self) -> None:
        b = self.block
        ts = self.cfg.start_timestamp + 12 * b
        roots = ",".join(
            "0x" + _digest(self.cfg.seed, r, b).hex() for r in ("tx", "state", "receipts")
        )
        self.files["blocks"].write(
            f"{b},{self.block_hash},{self.parent},0x0000000000000000,{EMPTY_UNCLES},0x{'0' * 512},"
            f"{roots},{self.miner},0,0,{600 + 110 * self.index},0x,30000000,{self.gas_used},{ts},"
            f"{self.index},,,\n"
        )
        reward = 5 * ETHER
        self.files["traces"].write(
            f"{b},,,,{self.miner},{reward},,,reward,,block,,,0,,,1,reward_{b}_0\n"
        )
        self.balance[self.miner] = self.balance.get(self.miner, 0) + reward

    def tx(
        self,
        sender: str,
        to: str,
        value: int,
        data: str = "0x",
        gas: int = 21_000,
        used: int = 21_000,
        internal: list[tuple[str, str, int]] | None = None,
        token: list[tuple[str, str, int]] | None = None,
    ) -> str | None:
        """One successful transaction; None (nothing written) when the sender cannot pay."""
        price = self.rng.randint(5, 30) * GWEI
        if self.balance.get(sender, 0) < value + gas * price:
            return None
        if self.index >= self.block_size:
            self.new_block()
        self.count += 1
        h = "0x" + hashlib.sha256(self.key + self.count.to_bytes(8, "big")).hexdigest()
        fee = used * price
        bal = self.balance
        bal[sender] -= value + fee
        bal[to] = bal.get(to, 0) + value
        if to in self.deposits:
            self.deposits[to][to] = None
        nonce = self.nonce.get(sender, 0)
        self.nonce[sender] = nonce + 1
        self.gas_used += used
        b, i, ts = self.block, self.index, self.cfg.start_timestamp + 12 * self.block
        f = self.files
        f["transactions"].write(
            f"{h},{nonce},{self.block_hash},{b},{i},{sender},{to},{value},{gas},{price},{data},{ts},"
            f",,0,{self.gas_used},{used},,,1,{price}\n"
        )
        internal = internal or []
        f["traces"].write(
            f"{b},{h},{i},{sender},{to},{value},{data},0x,call,call,,{gas},{used},{len(internal)},,,1,call_{h}_\n"
        )
        for k, (src, dst, v) in enumerate(internal):
            assert bal[src] >= v, "contract overdraft"
            bal[src] -= v
            bal[dst] = bal.get(dst, 0) + v
            f["traces"].write(
                f"{b},{h},{i},{src},{dst},{v},0x,0x,call,call,,2300,0,0,{k},,1,call_{h}_{k}\n"
            )
        for src, dst, v in token or []:
            if src != ZERO_ADDRESS:
                assert self.tokens.get(src, 0) >= v, "token overdraft"
                self.tokens[src] -= v
            self.tokens[dst] = self.tokens.get(dst, 0) + v
            if dst in self.deposits:
                self.deposits[dst][dst] = None
            f["token_transfers"].write(
                f"{self.token_address},{src},{dst},{v},{h},{self.log_index},{b}\n"
            )
            self.log_index += 1
        self.index += 1
        if self.pure or self.postmix:
            self._account(h, sender, to, value, fee, internal, token or [])
        return h

    def send_token(self, sender: str, to: str, amount: int) -> str | None:
        if self.tokens.get(sender, 0) < amount or amount <= 0:
            return None
        data = TRANSFER + _word(to) + _word(amount)
        return self.tx(
            sender, self.token_address, 0, data, 65_000, 51_000, token=[(sender, to, amount)]
        )

    def _category(self, address: str) -> str:
        return self.owners[self.ownership.get(address, "unknown")]["category"]

    def _account(
        self,
        h: str,
        sender: str,
        to: str,
        value: int,
        fee: int,
        internal: list[tuple[str, str, int]],
        token: list[tuple[str, str, int]],
    ) -> None:
        """Follows stolen ether and tokens: a stolen holding is an attacker address that only
        ever received stolen funds, so everything it pays (gas included) is stolen."""
        if sender in self.pure:
            self.eth.fees += fee
            self.eth.fee_transactions.append(h)
        moves = [(self.eth, sender, to, value)] if value else []
        moves += [(self.eth, s, d, v) for s, d, v in internal]
        moves += [(self.tok, s, d, v) for s, d, v in token]
        for ledger, src, dst, v in moves:
            if dst in self.pure and src not in self.pure:
                raise AssertionError(f"clean funds paid to the stolen holding {dst}")
            if src in self.pure:
                if dst in self.pure:
                    continue
                owner = self.ownership[dst]
                if not self._category(dst):
                    raise AssertionError(f"stolen funds paid to {owner}, which is no exit")
                ledger.exit(ledger.exits, dst, owner, self.owners, v, h)
            elif src in self.postmix and dst not in self.postmix and self._category(dst):
                ledger.exit(ledger.after_mixing, dst, self.ownership[dst], self.owners, v, h)
        for ledger in (self.eth, self.tok):
            for book in (ledger.exits, ledger.after_mixing):
                if sender in book and h not in book[sender]["swept_by"]:
                    book[sender]["swept_by"].append(h)

    def close(self) -> None:
        self._close_block()
        for f in self.files.values():
            f.close()


class EthWorld:
    """The actors of the account chain: users paying each other in ether and a USDT-like token,
    exchanges with deposit addresses, sweeps and withdrawals, a Tornado-like mixer with fixed
    denominations paid out by a relayer, a bridge contract, and the attacker's script."""

    DENOMINATIONS = (ETHER, 10 * ETHER)

    def __init__(self, cfg: Config, out: Path) -> None:
        self.cfg = cfg
        self.rng = random.Random(f"{cfg.seed}-eth")
        c = self.c = EthChain(cfg, out, self.rng)
        self.users = [f"user-{i}" for i in range(cfg.users)]
        self.user_addresses: dict[str, list[str]] = {}
        for u in self.users:
            c.owner(u, "user")
            self.user_addresses[u] = [
                c.new_address(u) for _ in range(1 + _hash_int(cfg.seed, u) % 2)
            ]
        c.owner("unknown", "unknown")
        c.owner("pool", "miner", "mining pool")
        c.owner("relayer", "relayer", "mixer relayer")
        c.owner("issuer", "token_issuer", "SUSD issuer")
        for e in EXCHANGES:
            c.owner(e, "exchange", EXCHANGE_LABELS[e], "exchange")
        c.owner("mixer", "mixer", "Synthetic Tornado pool", "mixing_service")
        c.owner("bridge", "bridge", "Synthetic bridge", "defi_bridge")
        c.owner(ATTACKER, "attacker", "attacker")
        c.owner("token", "token_contract", "SUSD token contract")
        c.miner = c.new_address("pool")
        self.relayer = c.new_address("relayer")
        self.issuer = c.new_address("issuer")
        c.token_address = c.new_address("token")
        self.hot = {e: c.new_address(e) for e in EXCHANGES}
        self.pools = {d: c.new_address("mixer") for d in self.DENOMINATIONS}
        self.bridge = c.new_address("bridge")
        c.tagged.update([*self.hot.values(), *self.pools.values(), self.bridge])
        self.deposit_addresses: dict[tuple[str, str], str] = {}
        self.notes: dict[int, list[tuple[str, str]]] = {d: [] for d in self.DENOMINATIONS}
        self.theft: dict[str, Any] = {}

    def deposit_address(self, account: str, exchange: str) -> str:
        key = (account, exchange)
        if key not in self.deposit_addresses:
            addr = self.deposit_addresses[key] = self.c.new_address(exchange)
            self.c.deposits[addr] = self.c.funded[exchange]
        return self.deposit_addresses[key]

    def pick(self, user: str) -> str:
        addrs = self.user_addresses[user]
        return addrs[self.rng.randrange(len(addrs))]

    def headroom(self, address: str) -> int:
        return self.c.balance.get(address, 0) - 2_000_000 * 30 * GWEI

    def pay(self, sender: str, to: str, fraction: float) -> str | None:
        room = self.headroom(sender)
        if room <= 0:
            return None
        return self.c.tx(sender, to, int(room * fraction))

    def sweep(self, exchange: str) -> None:
        """Every funded deposit address of the exchange sends its tokens and ether to the hot
        wallet (topping up gas for the token transfer first)."""
        c, hot = self.c, self.hot[exchange]
        funded = c.funded[exchange]
        batch = list(funded)
        funded.clear()
        for addr in batch:
            tokens = c.tokens.get(addr, 0)
            if tokens:
                if c.balance.get(addr, 0) < 65_000 * 30 * GWEI:
                    c.tx(hot, addr, 65_000 * 30 * GWEI)  # gas top-up
                c.send_token(addr, hot, tokens)
            bal = c.balance.get(addr, 0)
            if bal > 21_000 * 30 * GWEI * 2:
                price_cap = 21_000 * 30 * GWEI
                c.tx(addr, hot, bal - price_cap)

    def mixer_deposit(self, sender: str, denom: int, recipient: tuple[str, str]) -> str | None:
        note = _word(int.from_bytes(_digest(self.cfg.seed, sender, self.c.count), "big"))
        h = self.c.tx(sender, self.pools[denom], denom, MIX_DEPOSIT + note, 1_200_000, 1_000_000)
        if h is not None:
            self.notes[denom].append(recipient)
        return h

    def mixer_withdraw(self, denom: int, index: int = 0) -> str | None:
        if len(self.notes[denom]) <= index:
            return None
        owner, to = self.notes[denom][index]
        fee = denom * 25 // 1000
        pool = self.pools[denom]
        data = MIX_WITHDRAW + _word(to) + _word(self.relayer) + _word(fee)
        internal = [(pool, to, denom - fee), (pool, self.relayer, fee)]
        h = self.c.tx(self.relayer, pool, 0, data, 400_000, 350_000, internal=internal)
        if h is not None:
            del self.notes[denom][index]
            if owner == ATTACKER:
                self.c.postmix.add(to)
        return h

    def background(self) -> None:
        """One ordinary transaction; a new block (its reward) when nobody could pay."""
        before = self.c.count
        self._ordinary()
        if self.c.count == before:
            self.c.new_block()

    def _ordinary(self) -> None:
        c, rng = self.c, self.rng
        user = rng.choice(self.users)
        src = self.pick(user)
        r = rng.random()
        if r < 0.08:
            done = self.pay(
                src, self.deposit_address(user, rng.choice(EXCHANGES)), rng.uniform(0.1, 0.9)
            )
        elif r < 0.14:
            done = self.pay(
                self.hot[rng.choice(EXCHANGES)], self.pick(user), rng.uniform(0.001, 0.02)
            )
        elif r < 0.18:
            e = rng.choice(EXCHANGES)
            amount = c.tokens.get(self.hot[e], 0) * rng.randint(1, 20) // 1000
            done = c.send_token(self.hot[e], self.pick(user), amount)
        elif r < 0.28:
            amount = c.tokens.get(src, 0) * rng.randint(10, 90) // 100
            done = c.send_token(src, self.pick(rng.choice(self.users)), amount)
            if done is None and rng.random() < 0.3:
                done = c.send_token(
                    src, self.deposit_address(user, rng.choice(EXCHANGES)), c.tokens.get(src, 0)
                )
        elif r < 0.3:
            denom = self.DENOMINATIONS[0]
            done = None
            if self.headroom(src) > denom:
                done = self.mixer_deposit(src, denom, (user, self.pick(user)))
            if done is None:
                done = self.mixer_withdraw(denom, rng.randrange(max(1, len(self.notes[denom]))))
        else:
            done = self.pay(src, self.pick(rng.choice(self.users)), rng.uniform(0.05, 0.6))
        if done is None:
            self.payout()

    def payout(self) -> None:
        """The pool and the token issuer hand out what users spend."""
        c, rng = self.c, self.rng
        if c.balance.get(c.miner, 0) > 4 * ETHER:
            to = self.relayer if rng.random() < 0.1 else self.pick(rng.choice(self.users))
            if rng.random() < 0.15:
                to = self.hot[rng.choice(EXCHANGES)]
            c.tx(c.miner, to, c.balance[c.miner] // 2)
        elif c.balance.get(self.issuer, 0) > ETHER:
            amount = rng.randint(100, 5000) * 10**6
            to = self.pick(rng.choice(self.users))
            c.tx(
                self.issuer,
                c.token_address,
                0,
                MINT + _word(to) + _word(amount),
                80_000,
                60_000,
                token=[(ZERO_ADDRESS, to, amount)],
            )
        else:
            c.tx(c.miner, self.issuer, c.balance.get(c.miner, 0) // 2)

    def attacker_script(self) -> Iterator[None]:
        c = self.c
        victim = EXCHANGES[0]
        hot = self.hot[victim]
        while c.balance.get(hot, 0) < 20 * ETHER or c.tokens.get(hot, 0) < 10**12:
            if c.balance.get(c.miner, 0) > 2 * ETHER:
                c.tx(c.miner, hot, c.balance[c.miner] - ETHER)
            if c.tokens.get(hot, 0) < 10**12 and c.balance.get(self.issuer, 0) > ETHER:
                c.tx(
                    self.issuer,
                    c.token_address,
                    0,
                    MINT + _word(hot) + _word(10**12),
                    80_000,
                    60_000,
                    token=[(ZERO_ADDRESS, hot, 10**12)],
                )
            yield
        a0 = c.new_address(ATTACKER)
        amount = c.balance[hot] * 6 // 10
        t_eth = c.tx(hot, a0, amount)
        yield
        tokens = c.tokens[hot] * 6 // 10
        t_tok = c.send_token(hot, a0, tokens)
        assert t_eth is not None and t_tok is not None
        c.pure.add(a0)  # only now: the theft itself moves clean funds into it
        c.eth.stolen = amount
        c.tok.stolen = tokens
        self.theft = {
            "transactions": [t_eth, t_tok],
            "victim": victim,
            "victim_address": hot,
            "outputs": [
                {"transaction": t_eth, "asset": "ETH", "address": a0, "amount": amount},
                {"transaction": t_tok, "asset": c.token_address, "address": a0, "amount": tokens},
            ],
            "block_number": c.block,
        }
        yield
        split = [c.new_address(ATTACKER) for _ in range(5)]
        c.pure.update(split)
        for a in split:
            c.tx(a0, a, self.headroom(a0) // 5)
            yield
        for a in split[:3]:
            c.send_token(a0, a, tokens // 4)
            yield
        # mixer deposits until little is left on split[0]
        for denom in sorted(self.DENOMINATIONS, reverse=True):
            while self.headroom(split[0]) > denom:
                self.mixer_deposit(split[0], denom, (ATTACKER, c.new_address(ATTACKER)))
                yield
        # bridge deposits, ether and token
        c.tx(split[1], self.bridge, self.headroom(split[1]) // 2, BRIDGE_DEPOSIT, 100_000, 60_000)
        yield
        c.send_token(split[1], self.bridge, c.tokens[split[1]])
        yield
        # exchange deposits, ether and token, several accounts
        for k in range(4):
            to = self.deposit_address(f"attacker-account-{k}", EXCHANGES[1 + k % 2])
            c.tx(split[2], to, self.headroom(split[2]) // 3)
            yield
        c.send_token(
            split[2],
            self.deposit_address("attacker-account-0", EXCHANGES[1]),
            c.tokens[split[2]] // 2,
        )
        yield
        c.send_token(
            a0, self.deposit_address("attacker-account-1", EXCHANGES[2]), c.tokens[a0] // 2
        )
        yield
        # a hop to a fresh attacker address that then waits (unspent)
        last = c.new_address(ATTACKER)
        c.pure.add(last)
        c.tx(split[3], last, self.headroom(split[3]) // 2)
        yield
        # withdrawals from the mixer to fresh attacker addresses, then to an exchange
        for denom in self.DENOMINATIONS:
            while any(o == ATTACKER for o, _ in self.notes[denom]):
                i = next(i for i, (o, _) in enumerate(self.notes[denom]) if o == ATTACKER)
                if self.mixer_withdraw(denom, i) is None:
                    self.payout()
                yield
        for addr in sorted(c.postmix):
            c.tx(
                addr,
                self.deposit_address("attacker-account-post", EXCHANGES[2]),
                self.headroom(addr),
            )
            yield

    def run(self) -> None:
        n, c = self.cfg.transactions, self.c
        c.new_block()
        c.new_block()  # the empty first block rewards the pool
        c.tx(c.miner, self.issuer, ETHER // 2)
        c.tx(c.miner, self.relayer, ETHER // 2)
        for e in EXCHANGES:
            c.tx(
                self.issuer,
                c.token_address,
                0,
                MINT + _word(self.hot[e]) + _word(10**13),
                80_000,
                60_000,
                token=[(ZERO_ADDRESS, self.hot[e], 10**13)],
            )
        script = self.attacker_script()
        start, gap = int(n * 0.3), max(1, int(n * 0.55) // 60)
        done = False
        while c.count < n:
            k = c.count
            if not done and k >= start and (k - start) % gap == 0:
                done = next(script, True) is True
            elif k % 500 == 499:
                self.sweep(EXCHANGES[(k // 500) % 3])
            if c.count == k:
                self.background()
        while not done:
            k = c.count
            done = next(script, True) is True
            if c.count == k:
                self.background()
        for e in EXCHANGES:
            self.sweep(e)
        c.close()

    def truth(self) -> dict[str, Any]:
        c = self.c
        eth_unspent = {a: c.balance.get(a, 0) for a in c.pure}
        tok_unspent = {a: c.tokens.get(a, 0) for a in c.pure}
        return {
            "transactions": c.count,
            "blocks": c.block + 1,
            "theft": self.theft,
            "token": {"address": c.token_address, "symbol": "SUSD", "decimals": 6},
            "assets": {
                "ETH": c.eth.to_json(eth_unspent, c.tagged),
                c.token_address: c.tok.to_json(tok_unspent, c.tagged),
            },
            "mixer_pools": {str(d): a for d, a in self.pools.items()},
            "owners": {k: v for k, v in c.owners.items() if k != "unknown"},
            "ownership": dict(sorted(c.ownership.items())),
            "tagged": sorted(c.tagged),
        }

    def tags(self) -> list[dict[str, Any]]:
        rows = [
            {
                "address": self.hot[e],
                "currency": "ETH",
                "label": f"{EXCHANGE_LABELS[e]} hot wallet",
                "category": "exchange",
                "actor": e,
            }
            for e in EXCHANGES
        ]
        rows += [
            {
                "address": a,
                "currency": "ETH",
                "label": f"Synthetic Tornado pool {d // ETHER} ETH",
                "category": "mixing_service",
                "actor": "mixer",
            }
            for d, a in self.pools.items()
        ]
        rows.append(
            {
                "address": self.bridge,
                "currency": "ETH",
                "label": "Synthetic bridge",
                "category": "defi_bridge",
                "actor": "bridge",
            }
        )
        return rows


# --------------------------------------------------------------------------------------------
# Output


def _tagpack_yaml(category: str, rows: list[dict[str, Any]]) -> str:
    """A GraphSense TagPack, written by hand so the bytes do not depend on a YAML library."""
    lines = [
        f"title: Synthetic chain {category} tags",
        "creator: sanctrace synthetic chain generator",
        "confidence: service_data",
        f"category: {category}",
        "source: https://github.com/sanctrace (synthetic, see docs/synthetic-chain.md)",
        "lastmod: 2023-11-14",
        "is_cluster_definer: true",
        "tags:",
    ]
    for r in rows:
        lines += [
            f"- address: '{r['address']}'",
            f"  currency: {r['currency']}",
            f"  label: {r['label']}",
            f"  actor: {r['actor']}",
        ]
    return "\n".join(lines) + "\n"


def generate(cfg: Config, out: Path) -> dict[str, Any]:
    """Writes the chains, tag packs, seeds and ground truth under ``out``; returns the truth."""
    if cfg.transactions < 500:
        raise ValueError("need at least 500 transactions per chain for the theft to hide in")
    if cfg.chain not in ("btc", "eth", "both"):
        raise ValueError(f"unknown chain {cfg.chain!r}")
    out.mkdir(parents=True, exist_ok=True)
    truth: dict[str, Any] = {
        "format": 1,
        "seed": cfg.seed,
        "requested_transactions": cfg.transactions,
    }
    seeds: dict[str, Any] = {"format": 1, "seed": cfg.seed, "seeds": []}
    tags: list[dict[str, Any]] = []
    worlds: list[tuple[str, BtcWorld | EthWorld]] = []
    if cfg.chain in ("btc", "both"):
        (out / "btc").mkdir(exist_ok=True)
        worlds.append(("btc", BtcWorld(cfg, out / "btc")))
    if cfg.chain in ("eth", "both"):
        (out / "eth").mkdir(exist_ok=True)
        worlds.append(("eth", EthWorld(cfg, out / "eth")))
    for name, world in worlds:
        world.run()
        truth[name] = world.truth()
        tags += world.tags()
        theft = world.theft
        assets = truth[name]["assets"]
        seeds["seeds"].append(
            {
                "chain": name,
                "victim": theft["victim"],
                "victim_address": theft["victim_address"],
                "transactions": theft["transactions"],
                "outputs": theft["outputs"],
                "addresses": sorted({o["address"] for o in theft["outputs"]}),
                "amounts": {asset: str(a["stolen"]) for asset, a in assets.items()},
                "block_number": theft["block_number"],
            }
        )
    tag_dir = out / "tagpacks"
    tag_dir.mkdir(exist_ok=True)
    for category in ("exchange", "mixing_service", "defi_bridge"):
        rows = [r for r in tags if r["category"] == category]
        (tag_dir / f"synthetic-{category.replace('_', '-')}.yaml").write_text(
            _tagpack_yaml(category, rows), encoding="utf-8"
        )
    (out / "seeds.json").write_text(
        json.dumps(seeds, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    (out / "truth.json").write_text(
        json.dumps(truth, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sanctrace.synthetic.chain", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--transactions", type=int, required=True, help="per chain")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--chain", choices=("btc", "eth", "both"), default="both")
    args = parser.parse_args(argv)
    cfg = Config(seed=args.seed, transactions=args.transactions, chain=args.chain)
    started = time.perf_counter()
    truth = generate(cfg, args.out)
    seconds = time.perf_counter() - started
    total = sum(truth[c]["transactions"] for c in ("btc", "eth") if c in truth)
    print(f"{total} transactions in {seconds:.1f} s ({total / seconds:,.0f} tx/s) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
