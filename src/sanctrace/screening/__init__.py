"""Sanctions screening: name, Korean-name and identifier matching against list entities."""
