from django.conf import settings

from .choices import Role


def staff(request):
    """What the layout needs about the user: their scope and what their role allows."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_prepare": user.has_role(Role.OFFICER),
        "can_approve": user.has_role(Role.APPROVER),
        "can_administer": user.has_role(Role.ADMINISTRATOR),
    }


def language_menu(request):
    """The language menu: each language named in its own language, as settings spell it
    (Django's ``get_available_languages`` would translate the names into the current one)."""
    return {"language_menu": settings.LANGUAGES}
