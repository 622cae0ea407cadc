"""Settings that belong neither in the repo nor in a crontab line (the SMTP password, the alert
webhook URL) come from a file only its owner can read: CDQ_ENV_FILE, by default
~/.config/customer-dq/env, of KEY=VALUE lines (python-dotenv's syntax: comments, quotes and
`export` allowed; no ${...} expansion). A variable already set in the environment wins over the file. Cron starts a
job with an almost empty environment: this file is how a scheduled run gets its secrets.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import MutableMapping
from pathlib import Path

from dotenv import dotenv_values
from dotenv.parser import parse_stream

DEFAULT_PATH = Path("~/.config/customer-dq/env")


class SettingsFileError(ValueError):
    """The settings file is missing (when named), unreadable, or readable by others."""


def settings_path(env: MutableMapping[str, str] = os.environ) -> Path:
    return Path(env.get("CDQ_ENV_FILE") or DEFAULT_PATH).expanduser()


def load_settings_file(env: MutableMapping[str, str] = os.environ) -> Path | None:
    """Add the file's settings to `env` (those not set there already); the file read, or None
    when there is none at the default place."""
    path = settings_path(env)
    if not path.exists():
        if env.get("CDQ_ENV_FILE"):
            raise SettingsFileError(f"CDQ_ENV_FILE names {path}, which does not exist")
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        # like ssh with a private key: a password others can read is no longer a secret
        raise SettingsFileError(f"{path} holds secrets but others can read it (mode {mode:o}): chmod 600 {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsFileError(f"cannot read {path}: {exc}") from exc
    _check_every_line_sets_a_value(path, text)
    values = dotenv_values(stream=io.StringIO(text), interpolate=False)  # a '$' in a password is a '$'
    for name, value in values.items():
        if value is not None:
            env.setdefault(name, value)
    return path


def _check_every_line_sets_a_value(path: Path, text: str) -> None:
    """python-dotenv skips a line it cannot parse, and reads `NAME` alone as no value: a typo
    (`CDQ_SMTP_HOST smtp.example.com`) would quietly turn e-mail off. The lines are named by number
    only: they may hold a secret."""
    wrong = [binding.original.line for binding in parse_stream(io.StringIO(text))
             if binding.error or (binding.key is not None and binding.value is None)]
    if wrong:
        raise SettingsFileError(f"{path}: line(s) {', '.join(map(str, wrong))} are not NAME=VALUE settings "
                                "(NAME= sets an empty value)")
