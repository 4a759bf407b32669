"""Who may subscribe to webhooks: administrators, and partner networks' staff."""

from programmes.choices import StaffRole


def may_subscribe(user) -> bool:
    """Return True if ``user`` may have webhook subscriptions."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.network_roles.filter(role=StaffRole.PARTNER).exists()
