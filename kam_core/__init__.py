"""KAM Analytics core: ingest, store and analytics for key account management."""

__version__ = "0.1.0"
