from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """A confirmation link works once: confirming changes the hashed state."""

    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.is_active}{user.email_confirmed_at}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()


def one_time_path(url_name, user, generator=default_token_generator):
    """The path of a link made for `user` alone (URL arguments uidb64 and token), valid while `generator`
    accepts its token: Django's password reset, or the email confirmation above."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(url_name, kwargs={"uidb64": uidb64, "token": generator.make_token(user)})
