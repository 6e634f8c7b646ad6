#!/usr/bin/env python3
"""Entry point: `python3 codegen/generate.py [--verify]` (see cnetgen/__main__.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnetgen.__main__ import main  # noqa: E402

sys.exit(main())
