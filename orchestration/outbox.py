"""`send-outbox`: deliver what runs could not, once the SMTP server or the webhook is back.

A run that cannot send its daily e-mail, or an alert, keeps it in outbox/ (.eml for e-mails,
alert_<stamp>.json for webhook alerts) and says so; nothing sends it later by itself, as a report
days late may no longer be wanted. This sends them when asked, oldest first, and moves each one
sent into outbox/sent/, so a second call never sends it twice (the caller holds the run lock: no
run prunes or writes the outbox meanwhile, and no other call sends). E-mails go to today's recipients
(CDQ_MAIL_TO), from today's sender: a message saved without SMTP settings was addressed to no one."""

from __future__ import annotations

import email
import json
import os
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from rich.console import Console

from orchestration import alert
from orchestration.notify import SmtpSettings, send
from orchestration.retention import STAMP
from orchestration.run_files import ALERT

SENT = "sent"  # outbox/sent/: what send-outbox delivered


@dataclass
class Delivery:
    sent: list[Path]
    left: list[Path]


def send_outbox(outbox: Path, smtp: SmtpSettings | None, webhook: alert.AlertSettings | None,
                console: Console) -> Delivery:
    """Send the outbox's e-mails by `smtp` and its alerts by `webhook`; a channel not configured
    leaves its messages where they are."""
    delivery = Delivery([], [])
    emails, alerts = (sorted(outbox.glob(pattern), key=_written) for pattern in ("*.eml", f"{ALERT}_*.json"))
    if smtp:
        _deliver_each(emails, lambda path: send(_readdressed(path, smtp), smtp), smtp.server, delivery, console)
    else:
        delivery.left.extend(emails)
    if webhook:
        _deliver_each(alerts, lambda path: alert.post(json.loads(path.read_text()), webhook.url), webhook.host,
                      delivery, console)
    else:
        delivery.left.extend(alerts)
    return delivery


def _deliver_each(paths: list[Path], deliver: Callable[[Path], None], destination: str, delivery: Delivery,
                  console: Console) -> None:
    """Deliver each, oldest first, and move it into outbox/sent/; stop at the first failure (the
    server is still down): what is left waits for the next call."""
    for index, path in enumerate(paths):
        try:
            deliver(path)
        except (OSError, ValueError, alert.AlertNotDelivered) as exc:  # smtplib's errors are OSErrors
            if _refused_for_good(exc):  # this message, not the server: the next ones may go
                console.print(f"[yellow]{path.name} refused by {destination}: {exc}; left in the outbox[/]")
                delivery.left.append(path)
                continue
            console.print(f"[yellow]{path.name} not sent to {destination}: {exc}[/]")
            delivery.left.extend(paths[index:])
            return
        sent = path.parent / SENT / path.name
        sent.parent.mkdir(exist_ok=True)
        os.replace(path, sent)
        delivery.sent.append(sent)
        console.print(f"sent {path.name} to {destination}")


def _refused_for_good(exc: Exception) -> bool:
    """Whether the message itself was refused (a file that does not parse, a recipient or a size
    the SMTP server rejects for good, a 4xx from the webhook), rather than the server being down or
    the login wrong, which holds for every message."""
    if isinstance(exc, ValueError):
        return True
    if isinstance(exc, alert.AlertNotDelivered):
        return exc.status is not None and 400 <= exc.status < 500 and exc.status != 429
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    return isinstance(exc, smtplib.SMTPRecipientsRefused) or (
        isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600)


def _written(path: Path) -> tuple[str, str]:
    """Oldest first: by the run stamp in the name (a report and an alert of one run side by side)."""
    found = STAMP.search(path.name)
    return (found[1] if found else "", path.name)


def _readdressed(path: Path, smtp: SmtpSettings) -> EmailMessage:
    """The saved message, from today's sender to today's recipients, dated now (when it is sent)."""
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    for header, value in (("From", smtp.sender), ("To", ", ".join(smtp.recipients)),
                          ("Date", formatdate(localtime=True))):
        del message[header]
        message[header] = value
    return message
