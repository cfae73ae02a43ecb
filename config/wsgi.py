import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as refused:
    # A settings refusal (production with development secrets) is the operator's to read, not a traceback;
    # 4 is gunicorn's "application failed to load": it stops instead of restarting the worker.
    sys.stderr.write(f"{refused}\n")
    sys.exit(4)
