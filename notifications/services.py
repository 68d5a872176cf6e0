"""The writes of notifications: telling (``notify``), sending (``deliver``), following and
stopping.

A notification is a row written in the transaction of the event it tells, so an event that is
rolled back tells nobody, and one that happened is never forgotten: the mail is sent by a Celery
task enqueued once the transaction commits, and beat's ``deliver`` every minute sends whatever a
lost message or a stopped broker left behind. Sending claims the rows first (an update of the
rows still unclaimed, atomic in the database), then records each mail as sent: two workers, or
a task run twice, never send one notification twice.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from limits.services import sender_take

from . import kinds
from .models import Follow, Frequency, Notification, OptOut, Preference, Profile

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died while sending; the rows are sent again.
LEASE = datetime.timedelta(minutes=10)
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
CONFIRM_SALT = "notifications.follow"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.PORTAL_URL + path


# Telling ---------------------------------------------------------------------------------


def notify(
    kind: str,
    *,
    key: str,
    target: models.Model | None = None,
    users: Iterable[User] = (),
    addresses: Iterable[tuple[str, str]] = (),
    followers_of: Sequence[models.Model] = (),
    data: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell ``users`` (accounts), ``addresses`` (``(e-mail, language)`` pairs of people without
    one) and the followers of ``followers_of`` (the first object a person follows wins) that
    the event ``key`` of ``kind`` happened. Telling the same event twice adds nobody: the rows
    are unique per event and recipient. Returns the new rows."""
    spec = kinds.get(kind)
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    common = {
        "kind": kind,
        "key": key,
        "target_type": content_type,
        "target_id": target.pk if target is not None else None,
        "data": data or {},
        "created_at": now,
        "due_at": now,
    }
    rows: list[Notification] = []
    seen_users: set[int] = set()
    for user in users:
        if user.pk in seen_users or not user.is_active:
            continue
        seen_users.add(user.pk)
        frequency = _frequency(user, spec) if user.email else Frequency.NONE
        rows.append(
            Notification(
                **{**common, "due_at": _due(user, spec, frequency, now)},
                user=user,
                address=user.email,
                frequency=frequency,
            )
        )
    seen_addresses: set[str] = set()
    wanted: list[tuple[str, str, Follow | None]] = [
        (email.strip().lower(), language, None) for email, language in addresses if email
    ]
    wanted += [(f.email.lower(), f.language, f) for f in _followers(followers_of)]
    opted_out = (
        set(
            OptOut.objects.filter(
                kind=kind, email__in=[email for email, _language, _f in wanted]
            ).values_list("email", flat=True)
        )
        if wanted
        else set()
    )
    for email, language, follow in wanted:
        if email in seen_addresses or email in opted_out:
            continue
        seen_addresses.add(email)
        rows.append(Notification(**common, follow=follow, address=email, language=language))
    if not rows:
        return []
    # A recipient already told of this event (earlier, or at this moment by another
    # transaction) keeps their one row: the database's unique constraints drop the copy.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    new = list(Notification.objects.filter(key=key, created_at=now))
    due_now = [n.pk for n in new if n.due_at <= now and n.frequency != Frequency.NONE and n.address]
    if due_now:
        transaction.on_commit(lambda: _enqueue(due_now))
    return new


def _followers(targets: Sequence[models.Model]) -> list[Follow]:
    """The active follows of ``targets``, in one query: those of the first target first."""
    rank: dict[tuple[int, Any], int] = {}
    followed = Q()
    for target in targets:
        content_type = ContentType.objects.get_for_model(target)
        rank.setdefault((content_type.pk, target.pk), len(rank))
        followed |= Q(target_type=content_type, target_id=target.pk)
    if not rank:
        return []
    follows = Follow.objects.active().filter(followed)
    return sorted(follows, key=lambda follow: rank[follow.target_type_id, follow.target_id])


def _frequency(user: User, spec: kinds.Kind) -> str:
    preference = Preference.objects.filter(user=user, kind=spec.key).first()
    return preference.frequency if preference else spec.default


def _due(user: User, spec: kinds.Kind, frequency: str, now: datetime.datetime) -> datetime.datetime:
    """When a new notification of ``spec`` to ``user`` should go: now; at the next digest; or,
    for a kind sent at most every ``min_interval``, with the batch already waiting, else one
    interval after the last batch."""
    if frequency in (Frequency.DAILY, Frequency.WEEKLY):
        return next_digest(frequency, now)
    interval = spec.min_interval()
    if not interval:
        return now
    mine = Notification.objects.filter(user=user, kind=spec.key).exclude(frequency=Frequency.NONE)
    waiting = mine.filter(due_at__gt=now, sent_at__isnull=True).order_by("due_at").first()
    if waiting is not None:
        return waiting.due_at
    last = mine.filter(due_at__lte=now).aggregate(last=Max("due_at"))["last"]
    return max(now, last + interval) if last else now


def next_digest(frequency: str, now: datetime.datetime) -> datetime.datetime:
    """The next digest's time: ``NOTIFICATION_DIGEST_HOUR`` o'clock local time, every day or
    on Mondays."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    moment = local.replace(
        hour=settings.NOTIFICATION_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    if moment <= local:
        moment += datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        moment += datetime.timedelta(days=(7 - moment.weekday()) % 7)
    return moment


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_notifications

    try:
        deliver_notifications.delay(ids)
    except Exception as error:  # the broker is down: beat's deliver sends them later
        logger.warning("Notifications %s not queued: %s", ids, error)


# Sending ---------------------------------------------------------------------------------


@dataclass
class Mail:
    address: str
    language: str
    notifications: list[Notification]
    unsubscribe: str


def deliver(*, ids: Iterable[int] | None = None, now: datetime.datetime | None = None) -> int:
    """Send the notifications that are due (of ``ids`` only, if given), one mail per recipient:
    a single notification as itself, several as a digest. Returns the number of mails sent."""
    now = now or timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)
    due = Notification.objects.unsent().filter(free, due_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    candidates = list(due.order_by("due_at", "pk").values_list("pk", flat=True)[:500])
    if not candidates:
        return 0
    token = uuid.uuid4().hex
    Notification.objects.unsent().filter(free, pk__in=candidates).update(
        claim=token, claimed_at=now
    )
    claimed = list(
        Notification.objects.filter(claim=token, sent_at__isnull=True)
        .select_related("user__notification_profile", "follow", "target_type")
        .order_by("created_at", "pk")
    )
    sent = 0
    for mail in _mails(claimed):
        if _send(mail):
            sent += 1
    return sent


def _mails(claimed: list[Notification]) -> list[Mail]:
    groups: dict[tuple[Any, ...], list[Notification]] = defaultdict(list)
    for notification in claimed:
        user = notification.user
        if user is not None:
            if not user.is_active or not user.email:
                # Nowhere to send: it stays in the site's list only.
                Notification.objects.filter(pk=notification.pk).update(
                    frequency=Frequency.NONE, claim="", claimed_at=None
                )
                continue
            groups[("user", user.pk, user.email, recipient_language(notification))].append(
                notification
            )
        elif notification.follow_id:
            groups[
                ("follow", notification.follow_id, notification.address, notification.language)
            ].append(notification)
        else:
            groups[
                ("address", notification.address, notification.address, notification.language)
            ].append(notification)
    mails = []
    for (who, ident, address, language), notifications in groups.items():
        kinds_in = sorted({n.kind for n in notifications})
        if who == "user":
            payload: list[Any] = ["u", ident, kinds_in]
        elif who == "follow":
            payload = ["f", ident]
        else:
            payload = ["a", address, kinds_in]
        mails.append(Mail(address, language, notifications, unsubscribe_token(payload)))
    return mails


def recipient_language(notification: Notification) -> str:
    if notification.user is not None:
        profile = getattr(notification.user, "notification_profile", None)
        return profile.language if profile else settings.LANGUAGE_CODE
    return notification.language or settings.LANGUAGE_CODE


def describe(notification: Notification) -> kinds.Message:
    """What ``notification`` says, in the active language; a row whose object is gone still
    says what kind of event it was."""
    spec = kinds.get(notification.kind)
    if notification.target_id is not None and notification.target is None:
        return kinds.Message(str(spec.label), "", "")
    return spec.describe(notification)


def _send(mail: Mail) -> bool:
    pks = [n.pk for n in mail.notifications]
    with translation.override(mail.language):
        messages = [describe(n) for n in mail.notifications]
        unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[mail.unsubscribe]))
        preferences_url = absolute(reverse("notifications:preferences"))
        if len(messages) == 1:
            subject = messages[0].subject
        else:
            subject = ngettext(
                "%(count)d notification from the Open Government Portal",
                "%(count)d notifications from the Open Government Portal",
                len(messages),
            ) % {"count": len(messages)}
        context = {
            "messages": [
                {"subject": m.subject, "body": m.body, "url": absolute(m.url) if m.url else ""}
                for m in messages
            ],
            "digest": len(messages) > 1,
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": preferences_url,
            "account": mail.notifications[0].user_id is not None,
        }
        body = render_to_string("notifications/email/message.txt", context)
    email = EmailMessage(
        subject=subject[:255],
        body=body,
        to=[mail.address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": mail.language,
        },
    )
    try:
        email.send()
    except Exception:
        logger.exception("Mail to %s not sent; it will be tried again", mail.address)
        Notification.objects.filter(pk__in=pks).update(claim="", claimed_at=None)
        return False
    Notification.objects.filter(pk__in=pks).update(
        sent_at=timezone.now(), subject=subject[:255], claim=""
    )
    return True


# Reading ---------------------------------------------------------------------------------


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


# Preferences and stopping ------------------------------------------------------------------


@transaction.atomic
def preferences_save(*, user: User, language: str, frequencies: dict[str, str]) -> None:
    Profile.objects.update_or_create(user=user, defaults={"language": language})
    for kind, frequency in frequencies.items():
        kinds.get(kind)
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})


def remember_language(user: User, language: str) -> None:
    """A person's e-mails are in the language they last logged in with, until they choose."""
    Profile.objects.get_or_create(user=user, defaults={"language": language})


def unsubscribe_token(payload: list[Any]) -> str:
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_payload(token: str) -> list[Any]:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise ValidationError(_("This link is not valid.")) from error
    if not isinstance(payload, list) or not payload or payload[0] not in ("u", "f", "a"):
        raise ValidationError(_("This link is not valid."))
    return payload


@transaction.atomic
def unsubscribe(token: str) -> str:
    """Stop what the mail carrying ``token`` was about: for an account, those kinds by e-mail
    (they stay in the site's list); for a follower, the follow; for an address, those kinds.
    Returns what was stopped, in words."""
    payload = unsubscribe_payload(token)
    now = timezone.now()
    if payload[0] == "f":
        follow = Follow.objects.filter(pk=payload[1]).first()
        if follow is None:
            raise ValidationError(_("This link is not valid."))
        if follow.unsubscribed_at is None:
            follow.unsubscribed_at = now
            follow.save(update_fields=["unsubscribed_at"])
        return _("You no longer follow %(target)s.") % {"target": follow.target}
    stopped = [str(kinds.get(kind).label) for kind in payload[2] if kind in _known()]
    if payload[0] == "u":
        for kind in payload[2]:
            if kind in _known():
                Preference.objects.update_or_create(
                    user_id=payload[1], kind=kind, defaults={"frequency": Frequency.NONE}
                )
    else:
        for kind in payload[2]:
            if kind in _known():
                OptOut.objects.get_or_create(email=payload[1], kind=kind)
    return _("You will receive no more e-mail about: %(kinds)s.") % {"kinds": ", ".join(stopped)}


def _known() -> set[str]:
    return {kind.key for kind in kinds.all_kinds()}


# Following -------------------------------------------------------------------------------


@transaction.atomic
def follow_request(
    *, email: str, target: models.Model, language: str, client: str = ""
) -> Follow | None:
    """Someone asks to follow ``target``: a confirmation link is mailed to ``email``; nothing
    counts until it is used. The answer is the same whether the address already followed or
    not, and one address (and one client) may ask a few times an hour."""
    email = email.strip().lower()
    limit = settings.FOLLOW_REQUESTS_PER_HOUR
    if not sender_take(scope="follow", sender=email, limit=limit) or (
        client and not sender_take(scope="follow-client", sender=client, limit=limit * 4)
    ):
        raise ValidationError(
            _("Too many requests to follow from this address; try again in an hour.")
        )
    follow, _created = Follow.objects.get_or_create(
        email=email,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        defaults={"language": language},
    )
    if follow.language != language:
        follow.language = language
        follow.save(update_fields=["language"])
    notify(
        "follow_confirm",
        key=f"follow_confirm:{follow.pk}:{uuid.uuid4().hex}",
        target=follow,
        addresses=[(email, language)],
    )
    return follow


def confirm_token(follow: Follow) -> str:
    return signing.dumps(follow.pk, salt=CONFIRM_SALT)


@transaction.atomic
def follow_confirm(token: str) -> Follow:
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This link has expired; ask to follow again.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This link is not valid.")) from error
    follow = Follow.objects.select_for_update().filter(pk=pk).first()
    if follow is None:
        raise ValidationError(_("This link is not valid."))
    if not follow.is_active:
        follow.confirmed_at = timezone.now()
        follow.unsubscribed_at = None
        follow.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return follow
