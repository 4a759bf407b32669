"""Login forms for the site and the admin: a user name no account can have is refused
before it is checked.

Django's ``AuthenticationForm`` shows the user name's maximum length but does not check
it, so any length reached ``authenticate()``, and django-axes failed to record a failed
login of 256 characters or more (its column holds 255): a 500 on both login pages.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class UsernameLengthMixin:
    """Check the user name against the longest an account may have (150 characters)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators = [*field.validators, MaxLengthValidator(field.max_length)]


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    """The site's login form."""


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin's login form."""
