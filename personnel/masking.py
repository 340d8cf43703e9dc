"""Personal data of an official shown masked to those who do not need it.

The personal identification number, the home address and the phone number are read in
full by officers and above (they prepare the records); viewers see them masked, in every
output: pages, CV, exports, emails. A masked value keeps its shape, so that a viewer
still sees that the field is filled in.
"""

from django.utils.translation import gettext as _

from accounts.choices import Role

MASKED_FIELDS = ("personal_id", "home_address", "phone")

MASK = "•"
# 4 leading digits (province and the century/gender digit, which the date of birth and
# gender shown beside it give away anyway) and 2 trailing ones: "0381••••••45".
PERSONAL_ID_KEEP = (4, 2)
# The network prefix and the last 2 digits: "091•••••78".
PHONE_KEEP = (3, 2)


def can_see_personal_data(user) -> bool:
    """True for superusers and for officers and above; viewers (and anyone else) see masks."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_role(Role.OFFICER)


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[len(value) - tail :]


def mask_personal_id(value) -> str:
    """ "038123456745" → "0381••••••45"; "" for an empty value."""
    value = (value or "").strip()
    return _keep_ends(value, *PERSONAL_ID_KEEP) if value else ""


def mask_phone(value) -> str:
    """ "0912345678" → "091•••••78"; "" for an empty value."""
    value = (value or "").strip()
    return _keep_ends(value, *PHONE_KEEP) if value else ""


def mask_address(value) -> str:
    """Only the last comma-separated part (the province) is kept: "•••, tỉnh Hà Tĩnh".

    An address without a comma is hidden whole; "" for an empty value.
    """
    value = (value or "").strip()
    if not value:
        return ""
    head, comma, last = value.rpartition(",")
    if comma and head.strip() and last.strip():
        return f"{MASK * 3}, {last.strip()}"
    return _("%(mask)s (đã ẩn)") % {"mask": MASK * 3}


MASKERS = {
    "personal_id": mask_personal_id,
    "home_address": mask_address,
    "phone": mask_phone,
}


def personal_values(official, *, masked: bool) -> dict[str, str]:
    """The MASKED_FIELDS of ``official`` as text, masked when ``masked``."""
    values = {name: (getattr(official, name, None) or "") for name in MASKED_FIELDS}
    if masked:
        return {name: MASKERS[name](value) for name, value in values.items()}
    return values


def personal_fields_for(user, official) -> dict[str, str]:
    """{"personal_id", "home_address", "phone"}: in full for those who may see them, else masked."""
    return personal_values(official, masked=not can_see_personal_data(user))
