"""Token authentication for partners: django-rest-knox, hardened against malformed keys."""

from django.utils.translation import gettext_lazy as _
from knox import auth
from rest_framework import exceptions


class TokenAuthentication(auth.TokenAuthentication):
    """``Authorization: Token <key>``; keys are stored as SHA-512 digests by knox."""

    def authenticate_credentials(self, token):
        # Headers arrive as latin-1 bytes: a key that is not ASCII cannot be ours, and
        # knox would fail on decoding it (a server error instead of a 401).
        try:
            token.decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
        if b"\x00" in token:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)
