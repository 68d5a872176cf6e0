from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from .services import remember_language


@receiver(user_logged_in)
def remember_login_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    remember_language(user, translation.get_language() or "fr")
