"""`python -m bot`: the same as the `mock-interview-bot` command."""

import sys

from bot.cli import main

sys.exit(main())
