import os

from django.core.asgi import get_asgi_application

from config.runtime import ensure_folders

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
ensure_folders()
application = get_asgi_application()
