"""The petroleum cap ledger (UN resolution 2397): caps and deliveries as the workspace holds
them (``records``), named conversion factors (``factors``), the ledger of a commodity and year
against its cap (``ledger``), and estimated deliveries derived from detected tanker movements
(``derive``). See docs/cap-ledger.md."""
