"""Every collection whose documents carry ``expire_at`` has Firestore's TTL policy on it in
Terraform, or its documents would pile up for ever (slot documents: thousands an hour)."""

from __future__ import annotations

import re
from pathlib import Path

from shared.bot import send_slots, webhook
from shared.market import budget

FIRESTORE_TF = Path(__file__).parents[2] / "infra" / "modules" / "firestore" / "main.tf"


def ttl_fields() -> dict[str, str]:
    block = re.search(r"ttl_fields = \{(.*?)\}", FIRESTORE_TF.read_text(), re.S)
    assert block, "infra/modules/firestore/main.tf declares no ttl_fields"
    return dict(re.findall(r'(\w+)\s*=\s*"(\w+)"', block.group(1)))


def test_every_expiring_collection_has_a_ttl_policy() -> None:
    expiring = {webhook.UPDATES, send_slots.CHATS, send_slots.BUDGET, budget.COLLECTION}
    assert {c: "expire_at" for c in expiring}.items() <= ttl_fields().items()
