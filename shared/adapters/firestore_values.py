"""Plain JSON documents to and from Firestore's REST form (``Value`` in the v1 API's JSON).

Only plain JSON is accepted: no NaN or infinity, no arrays inside arrays (Firestore refuses
them), integers within int64. A top-level ``expire_at`` holding an ISO-8601 time
(``ports.EXPIRE_AT``) is stored as a timestamp, the only type a TTL policy reads, and read back
as the same ISO string. Field names in masks, filters and orders are quoted as Firestore's
field paths are, so ``"a.b"`` is one literal top-level field, never a nested path.
"""

from __future__ import annotations

import base64
import math
import re
from datetime import UTC, datetime
from typing import Any

from shared.errors import InvalidInput
from shared.models import iso
from shared.ports import EXPIRE_AT, Document

_SIMPLE_FIELD = re.compile(r"^[_a-zA-Z][_a-zA-Z0-9]*$")
_INT64 = (-(2**63), 2**63 - 1)


def field_path(name: str) -> str:
    """A top-level field's path as Firestore reads it (backticks around a non-simple name)."""
    if not name:
        raise InvalidInput("empty field name")
    if _SIMPLE_FIELD.match(name):
        return name
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def plain(data: Document) -> Document:
    """The document without ``_id``, checked to be JSON that Firestore can store."""
    if not isinstance(data, dict):
        raise InvalidInput(f"a document is a JSON object, not {type(data).__name__}")
    clean = {key: value for key, value in data.items() if key != "_id"}
    _check(clean, "", in_array=False)
    expire = clean.get(EXPIRE_AT)
    if isinstance(expire, str):
        try:
            clean[EXPIRE_AT] = datetime.fromisoformat(expire)
        except ValueError:
            raise InvalidInput(f"{EXPIRE_AT} must be an ISO-8601 time, not {expire!r}") from None
    return clean


def readable(data: Document | None) -> Document:
    """A stored document as plain JSON: the TTL timestamp back to its ISO string."""
    doc = dict(data or {})
    if isinstance(doc.get(EXPIRE_AT), datetime):
        doc[EXPIRE_AT] = iso(doc[EXPIRE_AT])
    return doc


def encode_fields(data: Document) -> dict[str, Any]:
    return {key: encode(value) for key, value in data.items()}


def encode(value: object) -> dict[str, Any]:
    """One value in the REST form (checked by ``plain`` before)."""
    if value is None:
        return {"nullValue": None}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise InvalidInput(f"{value} does not fit Firestore's 64-bit integers")
        return {"integerValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return {"timestampValue": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    if isinstance(value, dict):
        return {"mapValue": {"fields": encode_fields(value)} if value else {}}
    if isinstance(value, list | tuple):
        return {"arrayValue": {"values": [encode(item) for item in value]} if value else {}}
    raise InvalidInput(f"cannot store a {type(value).__name__}")


def decode_fields(fields: dict[str, Any] | None) -> Document:
    return {key: decode(value) for key, value in (fields or {}).items()}


def decode(value: dict[str, Any]) -> Any:
    """A value from the REST form: JSON types, a timestamp as an aware ``datetime``."""
    item: Any
    kind, item = next(iter(value.items()), ("nullValue", None))
    item = {} if item is None and kind in ("mapValue", "arrayValue") else item
    if kind == "nullValue":
        return None
    if kind == "integerValue":
        return int(item)
    if kind == "doubleValue":
        return float(item)  # NaN and infinities arrive as the strings "NaN", "Infinity"
    if kind in ("booleanValue", "stringValue", "referenceValue"):
        return item
    if kind == "timestampValue":
        return _timestamp(str(item))
    if kind == "mapValue":
        return decode_fields(item.get("fields"))
    if kind == "arrayValue":
        return [decode(entry) for entry in item.get("values", [])]
    if kind == "bytesValue":
        return base64.b64decode(item)
    if kind == "geoPointValue":
        return {"latitude": item.get("latitude", 0.0), "longitude": item.get("longitude", 0.0)}
    raise InvalidInput(f"unknown Firestore value type {kind!r}")


def _timestamp(text: str) -> datetime:
    """RFC 3339 with up to nine fractional digits; Python keeps six."""
    head, _, fraction = text.rstrip("Z").partition(".")
    moment = datetime.fromisoformat(head).replace(tzinfo=UTC)
    micros = int((fraction + "000000")[:6]) if fraction else 0
    return moment.replace(microsecond=micros)


def _check(value: object, where: str, *, in_array: bool) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"document is not plain JSON: {where or 'value'} is {value}")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key:
                raise InvalidInput(f"document is not plain JSON: bad key {key!r} at {where}")
            _check(item, f"{where}.{key}" if where else key, in_array=False)
        return
    if isinstance(value, list | tuple):
        if in_array:
            raise InvalidInput(f"Firestore cannot store an array inside an array ({where})")
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]", in_array=True)
        return
    raise InvalidInput(f"document is not plain JSON: {where} is a {type(value).__name__}")
