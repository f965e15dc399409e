"""Fragmentation: compare what jurisdictions demand of one system, and how instruments align."""
