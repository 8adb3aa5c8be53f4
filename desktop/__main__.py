"""``python -m desktop …`` is the same as ``yingyan console …`` (the Start-menu shortcut uses it)."""

import sys

from desktop.cli import main

sys.exit(main(sys.argv[1:]))
