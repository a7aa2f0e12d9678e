"""``python -m aijri_xl``: the same as the ``aijri`` command."""

from .cli import main

raise SystemExit(main())
