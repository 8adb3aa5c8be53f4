"""`python -m server …` is the same as `yingyan server …`."""

import sys

from server.cli import main

sys.exit(main(sys.argv[1:]))
