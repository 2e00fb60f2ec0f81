"""Red flags of DPRK IT workers in contractor, HR, log-in, payout and client records: one
explainable rule per indicator of the US advisories (``rules.RULES``), workers ranked by the
weights of the rules that fired, each firing with the rows behind it."""

from sanctrace.itworkers.rules import FLAG_SCORE, RULES, Rule
from sanctrace.itworkers.scan import ScanResult, evaluate, rules_table, scan

__all__ = ["FLAG_SCORE", "RULES", "Rule", "ScanResult", "evaluate", "rules_table", "scan"]
