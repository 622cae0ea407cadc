"""The daily e-mail (seed 002): HTML and plain text built from the run's report, the CSVs
attached, sent over SMTP configured from the environment, or written to an outbox as .eml. A run
that sends no report (a failed step, a held lock) e-mails its alert instead.

Environment (secrets never live in the repo):
  CDQ_SMTP_HOST       SMTP server; unset: the message goes to <data_dir>/outbox/ instead
  CDQ_SMTP_PORT       default 587 (starttls), 465 (ssl) or 25 (none)
  CDQ_SMTP_SECURITY   starttls (default), ssl or none
  CDQ_SMTP_USER, CDQ_SMTP_PASSWORD   login, when the server wants one
  CDQ_MAIL_FROM       default customer-dq@<host name>
  CDQ_MAIL_TO         comma-separated recipients (required with CDQ_SMTP_HOST)
  CDQ_MAIL_MAX_ATTACHMENT_MB   larger CSVs are named in the message, not attached (default 10)
"""

from __future__ import annotations

import json
import math
import mimetypes
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from orchestration.report import TEMPLATES
from seeds_gen.files import staged

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_ATTACHMENT_LIMIT_MB = 10
TIMEOUT_SECONDS = 30


class MailConfigError(ValueError):
    """The SMTP settings in the environment are incomplete or wrong."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str
    recipients: tuple[str, ...]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings | None:
        """The settings, or None when CDQ_SMTP_HOST is not set (messages go to the outbox)."""
        host = env.get("CDQ_SMTP_HOST", "").strip()
        if not host:
            return None
        security = env.get("CDQ_SMTP_SECURITY", "starttls").strip().lower()
        if security not in SECURITY_PORTS:
            raise MailConfigError(f"CDQ_SMTP_SECURITY must be one of {', '.join(SECURITY_PORTS)}, got {security!r}")
        port_text = env.get("CDQ_SMTP_PORT", "").strip()
        if port_text and not (port_text.isdigit() and 1 <= int(port_text) <= 65535):
            raise MailConfigError(f"CDQ_SMTP_PORT must be a port number from 1 to 65535, got {port_text!r}")
        if env.get("CDQ_SMTP_USER") and not env.get("CDQ_SMTP_PASSWORD"):
            raise MailConfigError("CDQ_SMTP_USER is set but CDQ_SMTP_PASSWORD is not: the login would fail")
        recipients = tuple(r.strip() for r in env.get("CDQ_MAIL_TO", "").split(",") if r.strip())
        if not recipients:
            raise MailConfigError("CDQ_SMTP_HOST is set but CDQ_MAIL_TO is not: whom should the report go to?")
        return cls(host=host, port=int(port_text) if port_text else SECURITY_PORTS[security], security=security,
                   user=env.get("CDQ_SMTP_USER") or None, password=env.get("CDQ_SMTP_PASSWORD") or None,
                   sender=env.get("CDQ_MAIL_FROM") or default_sender(), recipients=recipients)


    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def default_sender() -> str:
    return f"customer-dq@{socket.getfqdn() or 'localhost'}"


def _addressed(subject: str, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients) if recipients else "undisclosed-recipients:;"
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    return message


def build_alert_message(alert: dict, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    """The e-mail of a run that sent no daily report (orchestration/alert.py): the alert's text,
    its first line as the subject, and its facts."""
    text = alert["text"]
    message = _addressed(text.splitlines()[0], sender, recipients)
    message.set_content(text + "\n\n" + json.dumps(alert["customer_dq"], indent=2) + "\n")
    return message


def attachment_limit_mb(env: Mapping[str, str]) -> float:
    """CDQ_MAIL_MAX_ATTACHMENT_MB: a larger file is named in the e-mail, not attached (the customers
    CSV is ~0.3 KB a row: 100,000 customers make ~31 MB, over what many mail servers take)."""
    text = env.get("CDQ_MAIL_MAX_ATTACHMENT_MB", "").strip() or str(DEFAULT_ATTACHMENT_LIMIT_MB)
    try:
        limit = float(text)
    except ValueError:
        limit = -1.0
    if not math.isfinite(limit) or limit < 0:
        raise MailConfigError(f"CDQ_MAIL_MAX_ATTACHMENT_MB must be a number of megabytes, got {text!r}")
    return limit


def build_message(report: dict, attachments: list[Path], sender: str, recipients: tuple[str, ...],
                  limit_mb: float = DEFAULT_ATTACHMENT_LIMIT_MB) -> EmailMessage:
    message = _addressed(TEMPLATES.get_template("daily_subject.txt.j2").render(r=report).strip(), sender,
                         recipients)
    sizes_mb = {path: path.stat().st_size / 1e6 for path in attachments}
    attached = [path for path in attachments if sizes_mb[path] <= limit_mb]
    context = {"r": report, "attachment_limit_mb": f"{limit_mb:g}", "page": False, "trend": [],
               "not_attached": [(str(path), size) for path, size in sizes_mb.items() if path not in attached]}
    message.set_content(TEMPLATES.get_template("daily_email.txt.j2").render(**context))
    message.add_alternative(TEMPLATES.get_template("dq_report.html.j2").render(**context), subtype="html")
    for path in attached:
        kind, _ = mimetypes.guess_type(path.name)
        maintype, subtype = (kind or "application/octet-stream").split("/")
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    context = ssl.create_default_context()
    if settings.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password or "")
        client.send_message(message)


def save_to_outbox(message: EmailMessage, outbox: Path, name: str) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    target = outbox / f"{name}.eml"
    with staged(target) as tmp:
        tmp.write_bytes(bytes(message))
    return target
