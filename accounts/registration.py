"""Sign-up that neither reveals nor lets anyone squat an address.

The answer is the same whatever the address: "check your email". What is sent depends on it:
- no account: a new unconfirmed account and its confirmation link;
- an account never confirmed (someone else may have typed this address): it is replaced by the new
  sign-up, whose link goes to the address; the earlier link stops working;
- a confirmed account: a message to its owner saying how to log in or reset the password.
"""

from django.db import transaction
from django.urls import reverse

from accounts.models import User
from core.emails import send_templated_email


def register(request, form, send_confirmation):
    """Act on a valid SignUpForm; `send_confirmation(request, user)` emails the confirmation link."""
    email = form.cleaned_data["email"]
    with transaction.atomic():
        holder = User.objects.select_for_update().filter(email__iexact=email).first()
        if holder is not None and not holder.is_unconfirmed:
            send_templated_email(
                holder.email,
                "account_exists",
                {
                    "user": holder,
                    "login_url": request.build_absolute_uri(reverse("accounts:login")),
                    "reset_url": request.build_absolute_uri(reverse("accounts:password-reset")),
                },
                language=holder.preferred_language,
            )
            return
        if holder is not None:
            holder.delete()
        user = form.save(commit=False)
        user.is_active = False
        user.save()
        send_confirmation(request, user)
