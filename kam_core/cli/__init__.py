"""The command line: python -m kam_core [--db PATH] COMMAND."""

from kam_core.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
