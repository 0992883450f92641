"""Documents in Firestore's REST form: quoting, encoding and decoding, checked offline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from google.cloud.firestore_v1.field_path import FieldPath

from shared.adapters.firestore_values import decode, decode_fields, encode_fields, field_path
from shared.errors import InvalidInput


@pytest.mark.parametrize("name", ["a", "_x9", "a.b", "sp ace", "tick`", "back\\slash", "9lives",
                                  "ünï", "a-b", "`"])
def test_field_paths_are_quoted_as_google_cloud_firestore_quotes_them(name: str) -> None:
    assert field_path(name) == FieldPath(name).to_api_repr()


def test_an_empty_field_name_is_refused() -> None:
    with pytest.raises(InvalidInput):
        field_path("")


def test_values_take_their_rest_form() -> None:
    encoded = encode_fields({"n": 7, "f": 1.5, "b": False, "s": "x", "z": None, "l": [], "m": {},
                             "t": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)})
    assert encoded == {
        "n": {"integerValue": "7"}, "f": {"doubleValue": 1.5}, "b": {"booleanValue": False},
        "s": {"stringValue": "x"}, "z": {"nullValue": None}, "l": {"arrayValue": {}},
        "m": {"mapValue": {}}, "t": {"timestampValue": "2026-01-02T03:04:05.000006Z"}}


def test_integers_beyond_64_bits_are_refused() -> None:
    with pytest.raises(InvalidInput, match="64-bit"):
        encode_fields({"n": 2**63})


def test_decoding_reads_what_firestore_answers() -> None:
    assert decode_fields({
        "n": {"integerValue": "-9007199254740993"}, "f": {"doubleValue": 2},
        "t": {"timestampValue": "2026-01-02T03:04:05.123456789Z"},
        "t0": {"timestampValue": "2026-01-02T03:04:05Z"},
        "m": {"mapValue": {"fields": {"a": {"arrayValue": {"values": [{"nullValue": None}]}}}}},
        "e": {"mapValue": {}}, "l": {"arrayValue": {}},
    }) == {"n": -9007199254740993, "f": 2.0,
           "t": datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
           "t0": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "m": {"a": [None]}, "e": {}, "l": []}


def test_an_unknown_value_type_is_refused() -> None:
    with pytest.raises(InvalidInput, match="vectorValue"):
        decode({"vectorValue": {}})
