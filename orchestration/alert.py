"""Alerts (seed 004's Slack notifications): a JSON POST to a webhook when a run does not pass, so
nobody has to read cron's mail to learn that the pipeline broke: a quality gate stopped it
(exit 1), a step failed (exit 2), another run holds the lock (exit 3: a hung run blocks every
later one), or a signal stopped it (exit 130, 143).

Environment (the URL is a secret: never in the repo, never printed):
  CDQ_ALERT_WEBHOOK_URL   http(s) URL to POST to; unset: no alerts
  CDQ_ALERT_ON            failure (default: every run that did not pass or missed its SLA) or always

The body is Slack's incoming-webhook format ({"text": ...}), and carries the facts for other
receivers under "customer_dq". An alert that cannot be delivered after the run's retries is
written to <data_dir>/outbox/alert_<stamp>.json instead: never lost.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from orchestration.report import write_json

TIMEOUT_SECONDS = 10
ALERT_ON = ("failure", "always")
STATUSES = {0: "passed", 1: "stopped by the quality gate", 2: "failed", 3: "not started: another run holds the lock",
            130: "interrupted (SIGINT)", 143: "interrupted (SIGTERM)"}


class AlertConfigError(ValueError):
    """The alert settings in the environment are wrong."""


@dataclass(frozen=True)
class AlertSettings:
    url: str
    on: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AlertSettings | None:
        """The settings, or None when CDQ_ALERT_WEBHOOK_URL is not set."""
        url = env.get("CDQ_ALERT_WEBHOOK_URL", "").strip()
        if not url:
            return None
        # the URL itself is a secret: the errors name its scheme at most
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise AlertConfigError("CDQ_ALERT_WEBHOOK_URL is not a well-formed URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AlertConfigError(f"CDQ_ALERT_WEBHOOK_URL must be an http(s) URL (got scheme {parts.scheme!r})")
        if any(c.isspace() or not c.isprintable() for c in url):
            raise AlertConfigError("CDQ_ALERT_WEBHOOK_URL contains spaces or control characters")
        on = env.get("CDQ_ALERT_ON", "failure").strip().lower()
        if on not in ALERT_ON:
            raise AlertConfigError(f"CDQ_ALERT_ON must be one of {', '.join(ALERT_ON)}, got {on!r}")
        return cls(url=url, on=on)

    @property
    def host(self) -> str:
        """Where alerts go, for messages: the host, not the secret path."""
        return urlsplit(self.url).netloc.rpartition("@")[2]

    def wants(self, exit_code: int, news: bool = False) -> bool:
        """Alert on every run, or on one that did not pass, or that has news for whoever is on call
        though it passed: it was late (--sla-minutes, --deadline), or found an earlier run killed."""
        return self.on == "always" or exit_code != 0 or news


def build_alert(run_id: str, run_date: str, exit_code: int, reasons: list[str], details: dict,
                warnings: list[str] | None = None) -> dict:
    """The alert: a headline, the reasons for it (why the run stopped, or was late) and then the
    run's other warnings, as text; every fact under "customer_dq", the two lists apart."""
    status = STATUSES.get(exit_code, f"exit code {exit_code}")
    warnings = warnings or []
    lines = [f"Customer DQ {run_date}: run {status} (exit {exit_code})", *(f"- {r}" for r in reasons)]
    if warnings:
        lines += ["Warnings:", *(f"- {w}" for w in warnings)]
    return {"text": "\n".join(lines),
            "customer_dq": {"run_id": run_id, "run_date": run_date, "exit_code": exit_code, "status": status,
                            "reasons": reasons, "warnings": warnings, **details}}


class AlertNotDelivered(Exception):
    """The webhook did not take the alert; the message never holds the URL (a secret). `status`:
    the HTTP status it answered with, None when it could not be reached."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def post(alert: dict, url: str) -> None:
    """POST the alert; raise AlertNotDelivered on an HTTP error status or an unreachable host."""
    request = urllib.request.Request(url, data=json.dumps(alert).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "User-Agent": "customer-dq"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked
            response.read()
    except urllib.error.HTTPError as exc:
        raise AlertNotDelivered(f"the webhook answered HTTP {exc.code}", exc.code) from None
    except urllib.error.URLError as exc:  # refused, unknown host, TLS: the reason quotes no URL
        raise AlertNotDelivered(f"the webhook could not be reached: {exc.reason}") from None
    except (OSError, ValueError) as exc:  # a timeout; a URL urllib rejects (its message would quote it)
        raise AlertNotDelivered(f"the webhook could not be reached: {type(exc).__name__}") from None


def save_alert(alert: dict, outbox: Path, name: str) -> Path:
    target = outbox / f"{name}.json"
    write_json(alert, target)
    return target
