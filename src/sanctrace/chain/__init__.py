"""Crypto tracing engines: CoinJoin detection, address clustering, taint models."""
