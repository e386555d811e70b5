import os
import sys

from django.core.wsgi import get_wsgi_application

from codi import config

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codi.settings")
try:
    application = get_wsgi_application()
except config.ConfigError as exc:  # a wrong setting: one line naming the variable, and the server stops
    print(config.start_failure_line(exc), file=sys.stderr, flush=True)
    raise SystemExit(4) from None
