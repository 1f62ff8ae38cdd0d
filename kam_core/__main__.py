"""Entry point for python -m kam_core."""

import sys

from kam_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
