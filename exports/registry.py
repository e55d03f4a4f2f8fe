"""What each kind of export is: the features register theirs when their exports module is
imported (from their AppConfig.ready), so this module imports no feature and no views.

    registry.register(
        Export.Kind.ACCESS_LOG,
        build=build_access_log,              # (export) -> Built(content, file_name, content_type)
        may_request=may_export_access_log,   # (user, params) -> bool, asked again at download
        what=access_log_what,                # (params) -> the access log's name for the download
        title=access_log_title,              # (params) -> the export in words, for the lists
        back=lambda params: reverse(...),    # (params) -> the page it was asked for from
    )"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import parse_qs, urlencode

from django.http import QueryDict

from exports.models import Export


class Built(NamedTuple):
    content: bytes
    file_name: str
    content_type: str


@dataclass(frozen=True)
class ExportKind:
    kind: str
    build: Callable[[Export], Built]
    may_request: Callable[[object, dict], bool]
    what: Callable[[dict], str]
    title: Callable[[dict], str]
    back: Callable[[dict], str] | None = None


_KINDS: dict[str, ExportKind] = {}


def register(kind: str, *, build, may_request, what, title, back=None) -> ExportKind:
    if kind not in Export.Kind.values:
        raise ValueError(f"{kind!r} is not one of Export.Kind")
    _KINDS[kind] = ExportKind(kind, build, may_request, what, title, back)
    return _KINDS[kind]


def get(kind: str) -> ExportKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"No export of kind {kind!r} is registered (is its exports module imported?)") from None


def registered() -> list[str]:
    return sorted(_KINDS)


def may_request(user, export_kind: str, params: dict) -> bool:
    """Whether ``user`` may have this export now: asked when it is requested and again at download."""
    return bool(user and user.is_authenticated and get(export_kind).may_request(user, params))


def filters_of(query_string: str) -> dict[str, list[str]]:
    """A filter form's valid values (its ``query_string()``) as params: name -> values."""
    return dict(parse_qs(query_string))


def query_dict(filters: dict | None) -> QueryDict | None:
    """Params' filters back as the QueryDict the filter form was bound to (None: unfiltered)."""
    if not filters:
        return None
    return QueryDict(urlencode(filters, doseq=True))


def with_filters(url: str, params: dict) -> str:
    """A page's URL with the export's filters, to go back to the page as it was."""
    filters = params.get("filters")
    return f"{url}?{urlencode(filters, doseq=True)}" if filters else url
