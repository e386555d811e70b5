#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codi.settings")
    from django.core.management import execute_from_command_line

    from codi import config

    try:
        execute_from_command_line(sys.argv)
    except config.ConfigError as exc:  # a wrong setting: one line naming the variable, no traceback
        sys.exit(config.start_failure_line(exc))
