"""`python -m sim run key=value ...`."""

import sys

from sim.cli import main

sys.exit(main())
