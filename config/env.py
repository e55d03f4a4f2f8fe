"""Strict, typed readers for environment variables.

A misspelt boolean is an error, never a silent False; any secret may be given
as ``NAME_FILE`` pointing at a file (Docker/Kubernetes secrets).
"""

import datetime
import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            with open(file_path, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at a file that cannot be read") from exc
    return os.environ.get(name)


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_colour(name: str, default: str) -> str:
    value = env_str(name, default)
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ImproperlyConfigured(f"{name} must be a colour like #1d4f5f, not {value!r}")
    return value.lower()


def env_date(name: str, default: datetime.date) -> datetime.date:
    """A date written YYYY-MM-DD."""
    value = env_str(name)
    if value is None:
        return default
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a date written YYYY-MM-DD, not {value!r}") from exc


def env_offsets(name: str, default: dict[str, int]) -> dict[str, int]:
    """Parse ``key=days,key=days`` into a dict, keeping only the keys of ``default``."""
    value = env_str(name)
    if value is None:
        return dict(default)
    result = dict(default)
    for part in value.split(","):
        key, _, days = part.partition("=")
        key = key.strip()
        if key not in default:
            raise ImproperlyConfigured(f"{name}: unknown milestone {key!r}; use {sorted(default)}")
        try:
            result[key] = int(days)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {key} needs a whole number of days") from exc
    return result


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on ``colour`` (#rrggbb)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)
