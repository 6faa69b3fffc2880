"""``python -m facturlib``: the ``facturlib`` command (`facturlib.cli.main`)."""

import sys

from facturlib.cli import main

if __name__ == "__main__":
    sys.exit(main())
