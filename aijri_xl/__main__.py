"""``python -m aijri_xl``: the same as the ``aijri`` command."""

from aijri_xl.cli import main

raise SystemExit(main())
