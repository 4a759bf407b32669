"""Issue, list and revoke partners' API tokens (django-rest-knox; stored as digests).

manage.py api_token create <username> [--expires-days N | --no-expiry]   # prints the key once
manage.py api_token list [<username>]
manage.py api_token revoke <key-or-prefix>                 # or: --user <username> --all
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings


class Command(BaseCommand):
    help = "Create, list or revoke API tokens for partners."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token; its key is printed once.")
        create.add_argument("username")
        lifetime = create.add_mutually_exclusive_group()
        lifetime.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help="Days until the token expires (default: API_TOKEN_DAYS, 365).",
        )
        lifetime.add_argument(
            "--no-expiry",
            action="store_true",
            help="A token that never expires (for a service the admin watches).",
        )
        listing = actions.add_parser("list", help="List tokens (never their keys).")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="Revoke a token, or all of a user's.")
        revoke.add_argument("key", nargs="?", help="The key, or its first 15 characters.")
        revoke.add_argument("--user", help="With --all: revoke every token of this user.")
        revoke.add_argument("--all", dest="revoke_all", action="store_true")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def get_user(self, username):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(
                f"No user “{username}”: create it first (createsuperuser)."
            ) from error

    def handle_create(self, *, username, expires_days, no_expiry, **options):
        user = self.get_user(username)
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more (or --no-expiry).")
        if no_expiry:
            expiry = None
        elif expires_days:
            expiry = datetime.timedelta(days=expires_days)
        else:
            expiry = knox_settings.TOKEN_TTL
        token, key = AuthToken.objects.create(user=user, expiry=expiry)
        until = f"until {token.expiry:%Y-%m-%d %H:%M} UTC" if token.expiry else "without expiry"
        self.stderr.write(
            f"Token {token.token_key} for {username}, {until}. Store the key now: "
            "it is shown only once."
        )
        self.stdout.write(key)

    def handle_list(self, *, username=None, **options):
        tokens = AuthToken.objects.select_related("user").order_by("user__username", "created")
        if username:
            tokens = tokens.filter(user=self.get_user(username))
        now = timezone.now()
        for token in tokens:
            if token.expiry is None:
                state = "no expiry"
            elif token.expiry < now:
                state = "expired"
            else:
                state = f"expires {token.expiry:%Y-%m-%d}"
            self.stdout.write(
                f"{token.token_key}  {token.user.get_username()}  "
                f"created {token.created:%Y-%m-%d}  {state}"
            )

    def handle_revoke(self, *, key=None, user=None, revoke_all=False, **options):
        if revoke_all:
            if not user:
                raise CommandError("--all needs --user <username>.")
            tokens = AuthToken.objects.filter(user=self.get_user(user))
        elif key:
            tokens = AuthToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
        else:
            raise CommandError("Give a key (or its first 15 characters), or --user NAME --all.")
        count, _ = tokens.delete()
        if not count:
            raise CommandError("No such token.")
        self.stdout.write(f"Revoked {count} token{'s' if count != 1 else ''}.")
