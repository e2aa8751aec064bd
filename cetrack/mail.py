"""Sending email through the SMTP server in the settings (`CETRACK_SMTP_*`).

`Mailer` connects once, on the first message, and sends each message over that connection
(reconnecting once if the server hung up in between). Every failure becomes a `MailError`
whose message is one sentence naming the server and what went wrong; the password is never
part of it, nor of anything else this module prints or logs. Certificates are checked with
the system's trusted authorities, and the password is never sent over a connection that is
not encrypted unless the server is on this machine.
"""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from types import TracebackType

from pydantic import SecretStr

from cetrack.settings import Settings

TIMEOUT_SECONDS = 30


class MailError(RuntimeError):
    """Mail could not be sent; the message says why, in one sentence. `per_message`: the
    server refused this one message (its recipient or content) and may take the others;
    otherwise the server cannot be used (unreachable, TLS, sign-in, sender refused)."""

    def __init__(self, message: str, *, per_message: bool = False):
        super().__init__(message)
        self.per_message = per_message


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    tls: str  # starttls, ssl or none
    sender: str
    user: str | None = None
    password: SecretStr | None = None
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> MailServer:
        if not settings.mail_configured:
            raise MailError(
                "email is not set up: set CETRACK_SMTP_HOST and CETRACK_SMTP_SENDER "
                "(and CETRACK_SMTP_PORT, CETRACK_SMTP_TLS, CETRACK_SMTP_USER, "
                "CETRACK_SMTP_PASSWORD as your server needs)"
            )
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            tls=settings.smtp_tls,
            sender=settings.smtp_sender,
            user=settings.smtp_user or None,
            password=settings.smtp_password,
        )

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def __repr__(self) -> str:  # the dataclass repr would be fine (SecretStr), but say so
        return f"MailServer({self.address}, tls={self.tls}, sender={self.sender})"


def build_message(*, sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message, marked as sent automatically so auto-replies stay quiet."""
    message = EmailMessage()
    message["From"] = _one_line(sender)
    message["To"] = _one_line(to)
    message["Subject"] = _one_line(subject)  # a line break would end the header
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = sender.rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834
    message.set_content(body)
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reply(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{error.smtp_code} {' '.join(str(text).split())}".strip()


class Mailer:
    """Send messages through one server; use as a context manager so the connection closes."""

    def __init__(self, server: MailServer):
        self.server = server
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def send(self, message: EmailMessage) -> None:
        """Send one message, or raise MailError (nothing was accepted for the refused one)."""
        try:
            try:
                self._connected().send_message(message)
            except smtplib.SMTPServerDisconnected:
                self._drop()  # the server hung up since the last message: once more, afresh
                self._connected().send_message(message)
        except MailError:
            self._drop()
            raise
        except smtplib.SMTPRecipientsRefused as error:
            refused = ", ".join(
                f"{to} ({_reply(smtplib.SMTPResponseException(*why))})"
                for to, why in error.recipients.items()
            )
            raise MailError(
                f"the mail server {self.server.address} refused {refused}", per_message=True
            ) from None
        except smtplib.SMTPSenderRefused as error:
            raise MailError(
                f"the mail server {self.server.address} refused the sender {self.server.sender} "
                f"({_reply(error)})"
            ) from None
        except smtplib.SMTPResponseException as error:  # the connection goes on (RSET)
            raise MailError(
                f"the mail server {self.server.address} refused the message ({_reply(error)})",
                per_message=True,
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise MailError(
                f"sending through the mail server {self.server.address} failed: "
                f"{_oserror_text(error)}"
            ) from None

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _connected(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        if server.user is not None and server.tls == "none" and not _is_loopback(server.host):
            raise MailError(
                f"refusing to send the SMTP password to {server.address} unencrypted; "
                "set CETRACK_SMTP_TLS to starttls or ssl"
            )
        context = ssl.create_default_context()
        try:
            if server.tls == "ssl":
                smtp = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=server.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        except ssl.SSLError as error:
            raise MailError(
                f"the TLS handshake with the mail server {server.address} failed "
                f"({error.reason or error.strerror}); check CETRACK_SMTP_TLS and CETRACK_SMTP_PORT"
            ) from None
        except smtplib.SMTPException as error:
            raise MailError(
                f"the mail server {server.address} did not greet properly: {_oserror_text(error)}"
            ) from None
        except OSError as error:
            raise MailError(
                f"cannot reach the mail server {server.address}: {_oserror_text(error)}"
            ) from None
        try:
            self._secure_and_sign_in(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _secure_and_sign_in(self, smtp: smtplib.SMTP) -> None:
        server = self.server
        try:
            smtp.ehlo()
            if server.tls == "starttls":
                if not smtp.has_extn("starttls"):
                    raise MailError(
                        f"the mail server {server.address} does not offer STARTTLS; set "
                        "CETRACK_SMTP_TLS to ssl (usually port 465) or none (a local relay)"
                    )
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if server.user is None:
                return
            password = server.password.get_secret_value() if server.password else ""
            try:
                smtp.login(server.user, password)
            except smtplib.SMTPAuthenticationError as error:
                raise MailError(
                    f"the mail server {server.address} refused the sign-in of {server.user} "
                    f"({_scrubbed(_reply(error), password)})"
                ) from None
            except smtplib.SMTPNotSupportedError:
                raise MailError(
                    f"the mail server {server.address} does not accept a sign-in (no AUTH); "
                    "unset CETRACK_SMTP_USER or use the server's submission port"
                ) from None
        except ssl.SSLError as error:
            raise MailError(
                f"the TLS handshake with the mail server {server.address} failed "
                f"({error.reason or error.strerror})"
            ) from None
        except smtplib.SMTPResponseException as error:
            raise MailError(
                f"the mail server {server.address} refused the connection ({_reply(error)})"
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(
                f"the connection to the mail server {server.address} failed: {_oserror_text(error)}"
            ) from None


def _is_loopback(host: str) -> bool:
    """This machine, by name or address (the password may cross a loopback unencrypted)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _scrubbed(text: str, secret: str) -> str:
    return text.replace(secret, "**********") if secret else text


def _oserror_text(error: BaseException) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "no answer in time"
    if isinstance(error, socket.gaierror):
        return "no such host"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:]
    text = " ".join(str(error).split())
    return text or type(error).__name__


def send_invite(server: MailServer, *, to: str, link: str, organization: str, days: int) -> None:
    """Email a one-time set-password link (MailError when it could not be sent)."""
    body = (
        f"{organization} uses cetrack to track licenses and continuing education.\n\n"
        f"Set your password with this link; it works once and expires in {days} days:\n\n"
        f"{link}\n\nIf you did not expect this email, ignore it: nothing happens without "
        "the link."
    )
    message = build_message(
        sender=server.sender, to=to, subject=f"Your cetrack account at {organization}", body=body
    )
    with Mailer(server) as mailer:
        mailer.send(message)
