import os

from django.core.wsgi import get_wsgi_application

from config.runtime import ensure_folders

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
ensure_folders()
application = get_wsgi_application()
