"""Entry point for python -m kam_core."""

import sys

# A command that reads a file starts the file reader first: its start (a second interpreter
# importing the readers) then runs beside this one's imports, not after them.
_READING = {"import", "import-master"}

if __name__ == "__main__" and _READING & set(sys.argv[1:]):
    from kam_core.ingest.worker import warm_up_in_background

    warm_up_in_background()

from kam_core.cli import main  # noqa: E402  (after the reader's start, on purpose)

if __name__ == "__main__":
    sys.exit(main())
