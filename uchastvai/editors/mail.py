"""E-mail to the editors (the nightly rebuild's report), over plain SMTP with the standard library.

Settings come from the Pelican settings, overridden by environment variables; the
password only from the environment (like ``DEPLOY_PASSWORD``)::

    SMTP_HOST=mail.example.bg  SMTP_PORT=587  SMTP_SECURITY=starttls|ssl|none
    SMTP_USER=…  SMTP_PASSWORD=…  SMTP_CAFILE=/path/ca.pem (optional)
    MAIL_FROM=uchastvai@example.bg  MAIL_TO=redaktori@example.bg, it@example.bg
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from uchastvai.core.i18n import gettext

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class MailError(Exception):
    """A mail that could not be sent or configured; ``str()`` is a Bulgarian sentence."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = None
    cafile: Path | None = None
    timeout: float = 30

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], environ: Mapping[str, str]) -> MailSettings | None:
        """None when no ``SMTP_HOST`` is set (mail is optional); MailError when it is set badly."""

        def get(name: str, default: Any = None) -> Any:
            value = environ.get(name)
            return value if value not in (None, "") else settings.get(name, default)

        if settings.get("SMTP_PASSWORD"):
            raise MailError(gettext("SMTP_PASSWORD may only be set as an environment variable."))
        host = get("SMTP_HOST")
        if not host:
            return None
        security = str(get("SMTP_SECURITY", "starttls")).strip().lower()
        if security not in SECURITY_PORTS:
            raise MailError(gettext("SMTP_SECURITY must be one of: {choices}.").format(choices="starttls, ssl, none"))
        recipients = tuple(part.strip() for part in str(get("MAIL_TO", "")).split(",") if part.strip())
        sender = str(get("MAIL_FROM", ""))
        missing = [name for name, value in (("MAIL_FROM", sender), ("MAIL_TO", recipients)) if not value]
        if missing:
            raise MailError(gettext("Mail settings are missing: {names}.").format(names=", ".join(missing)))
        port = get("SMTP_PORT")
        try:
            port_number = int(port) if port not in (None, "") else SECURITY_PORTS[security]
        except ValueError:
            raise MailError(gettext("The setting {name} must be a whole number.").format(name="SMTP_PORT")) from None
        cafile = get("SMTP_CAFILE")
        return cls(
            host=str(host),
            port=port_number,
            security=security,
            sender=sender,
            recipients=recipients,
            user=get("SMTP_USER") or None,
            password=environ.get("SMTP_PASSWORD") or None,
            cafile=Path(cafile) if cafile else None,
        )


def compose(settings: MailSettings, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message (Cyrillic subject encoded per RFC 2047 by the library)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body, charset="utf-8")
    return message


def _connect(settings: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(settings.cafile) if settings.cafile else None)
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        client.starttls(context=context)
    return client


def send(settings: MailSettings, subject: str, body: str) -> None:
    """Send one message to all recipients; any failure becomes a :class:`MailError`."""
    message = compose(settings, subject, body)
    try:
        with _connect(settings) as client:
            if settings.user:
                client.login(settings.user, settings.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(
            gettext("The e-mail to the editors could not be sent through {host}:{port}: {error}").format(
                host=settings.host, port=settings.port, error=error
            )
        ) from None
