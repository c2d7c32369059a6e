"""``python -m smolny.counting FILE --method …``: the ``count`` command without the ``smolny`` CLI."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
