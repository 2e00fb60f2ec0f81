"""sanctrace: open monitoring of DPRK sanctions evasion.

The package is layered as sources -> workspace -> engines -> views (see docs/design.md):
adapters in ``sources`` write typed tables into a ``Workspace``; engines such as
``incidents`` are pure functions over it; ``cli``, ``api``, ``web`` and ``report`` render
what engines return.
"""

__version__ = "0.1.0"
