"""`python -m cetrack.cli`."""

import sys

from cetrack.cli import main

sys.exit(main())
