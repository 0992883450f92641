"""The topic registry, the code, the local bus and Terraform agree (DESIGN §4).

``shared/topics.json`` is the one list of topics and their subscribers. These tests check
that (1) every message schema has its topic and every topic a schema; (2) every subscriber is
a CloudEvent function that routes exactly its topics' messages; (3) Terraform reads the
registry instead of repeating topic names, derives each function's triggers from it, and
pushes in a shape the functions decode as the topic's event; (4) the local bus fans a message
out to exactly the registry's subscribers.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import sqlite3
import threading
from pathlib import Path
from typing import ClassVar

import functions_framework
import pytest

from shared import delivery, events, topics
from shared.adapters.local_bus import LocalBus
from shared.bootstrap import Container
from shared.events import EVENT_TYPES, AnalysisCompleted, Event
from shared.models import Signal

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
REGISTRY = topics.registry()
PAIRS = sorted((topic.name, sub) for topic in REGISTRY.topics.values() for sub in topic.subscribers)
SUBSCRIBERS = sorted({sub for _, sub in PAIRS})
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


# -- helpers -----------------------------------------------------------------------------------
def _strip_comments(hcl: str) -> str:
    """HCL without its comments (#, // and /* */); string literals are left intact."""
    kept = []
    for line in re.sub(r"/\*.*?\*/", "", hcl, flags=re.S).splitlines():
        for match in re.finditer(r'"(?:[^"\\]|\\.)*"|#|//', line):
            if match.group() in ("#", "//"):
                line = line[: match.start()]
                break
        kept.append(line)
    return "\n".join(kept)


def _terraform() -> dict[Path, str]:
    files = {
        p: _strip_comments(p.read_text())
        for p in sorted(INFRA.rglob("*.tf"))
        if ".terraform" not in p.parts
    }
    assert files, "no Terraform under infra/"
    return files


def _all_terraform() -> str:
    return "\n".join(_terraform().values())


def _main(name: str) -> ast.Module:
    path = ROOT / "functions" / name / "main.py"
    assert path.is_file(), f"functions/{name}/main.py is missing"
    return ast.parse(path.read_text())


def _is_cloudevent_function(tree: ast.Module, name: str) -> bool:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            decorators = {ast.unparse(d) for d in node.decorator_list}
            return "functions_framework.cloud_event" in decorators
    return False


def _routes(tree: ast.Module) -> set[str]:
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        if (
            isinstance(target, ast.Name)
            and target.id == "ROUTES"
            and isinstance(node.value, ast.Dict)
        ):
            return {ast.unparse(key) for key in node.value.keys if key is not None}
    raise AssertionError("main.py has no ROUTES = {EventType: handler, ...}")


def _probe(topic_name: str) -> Event:
    class Probe(Event):
        topic: ClassVar[str] = topic_name

    return Probe(correlation_id="probe")


# -- (1) schemas <-> registry ------------------------------------------------------------------
def test_every_event_schema_has_a_registry_topic_and_every_topic_a_schema() -> None:
    schemas = {
        cls
        for cls in vars(events).values()
        if isinstance(cls, type) and issubclass(cls, Event) and cls is not Event
    }
    assert set(EVENT_TYPES.values()) == schemas, "an Event subclass is missing from EVENT_TYPES"
    assert {cls.topic for cls in schemas} == set(REGISTRY.topics)
    assert all(EVENT_TYPES[cls.topic] is cls for cls in schemas), "two schemas share a topic"


# -- (2) subscribers <-> functions -------------------------------------------------------------
@pytest.mark.parametrize("name", SUBSCRIBERS)
def test_each_subscriber_is_a_cloudevent_function_routing_its_topics(name: str) -> None:
    tree = _main(name)
    assert _is_cloudevent_function(tree, name), (
        f"functions/{name}/main.py defines no @functions_framework.cloud_event def {name}"
    )
    wanted = {EVENT_TYPES[topic].__name__ for topic, sub in PAIRS if sub == name}
    assert _routes(tree) == wanted


def test_every_cloudevent_function_subscribes_to_a_topic() -> None:
    for main in sorted((ROOT / "functions").glob("*/main.py")):
        name = main.parent.name
        if _is_cloudevent_function(_main(name), name):
            assert name in SUBSCRIBERS, f"{name} is a CloudEvent function no topic delivers to"


# -- (3) Terraform <-> registry ----------------------------------------------------------------
def test_terraform_reads_the_registry_file() -> None:
    read = [
        (path.parent / match.group(1).replace("${path.module}", ".")).resolve()
        for path, text in _terraform().items()
        for match in re.finditer(r'jsondecode\(\s*file\(\s*"([^"]*topics\.json)"\s*\)\s*\)', text)
    ]
    assert read, 'no .tf does jsondecode(file(".../shared/topics.json"))'
    assert set(read) == {topics.REGISTRY_FILE.resolve()}


def test_no_topic_name_is_written_in_terraform() -> None:
    names = {
        *REGISTRY.topics,
        *(t.dead_letter for t in REGISTRY.topics.values()),
        REGISTRY.dead_letter_suffix,
    }
    for path, text in _terraform().items():
        for literal in STRING.findall(text):
            written = sorted(name for name in names if name in literal)
            assert not written, f"{path.relative_to(ROOT)} writes {written} in {literal}"


def test_triggers_dead_letters_and_attempts_derive_from_the_registry() -> None:
    code = _all_terraform()
    # a function's triggers are the registry topics whose subscribers name it...
    assert re.search(
        r"triggers\s*=\s*\{\s*for\s+(\w+)\s*,\s*(\w+)\s+in\s+local\.registry\.topics\s*:\s*\1\s*=>"
        r"\s*\{[^{}]*\}\s*if\s+contains\(\s*\2\.subscribers\s*,\s*each\.key\s*\)\s*\}",
        code,
    ), "triggers must be registry topics whose subscribers contain each.key"
    # ...each becomes one push subscription with a dead-letter policy and exponential retry
    subscription = re.search(
        r'resource\s+"google_pubsub_subscription"\s+"trigger"\s*\{\s*for_each\s*=\s*var\.triggers'
        r"(.*?)\n\}",
        code,
        re.S,
    )
    assert subscription, "no google_pubsub_subscription.trigger with for_each = var.triggers"
    for needed in (
        "dead_letter_policy",
        "max_delivery_attempts = var.max_delivery_attempts",
        "retry_policy",
        "minimum_backoff",
        "maximum_backoff",
        "oidc_token",
    ):
        assert needed in subscription.group(1), f"the trigger subscription has no {needed}"
    assert re.search(r"max_delivery_attempts\s*=\s*local\.registry\.max_delivery_attempts", code)
    assert re.search(r"\$\{var\.registry\.dead_letter_suffix\}", code)
    # the functions are deployed one per name, entry point = name, and include every subscriber
    assert re.search(r"for_each\s*=\s*local\.functions", code)
    assert re.search(r"entry_point\s*=\s*var\.name", code)
    functions_tf = _terraform()[INFRA / "envs" / "prod" / "functions.tf"]
    for name in SUBSCRIBERS:
        assert re.search(rf"^\s*{name}\s*=\s*\{{", functions_tf, re.M), f"{name} is not deployed"


def _push_path(topic: str, project: str = "proj") -> str:
    match = re.search(r'push_endpoint\s*=\s*"\$\{[^}]+\.uri\}(/[^"]*)"', _all_terraform())
    assert match, 'no push_endpoint = "${...uri}/..." in the Terraform'
    path = match.group(1).replace("${var.project_id}", project).replace("${each.key}", topic)
    assert "${" not in path, f"unexpected interpolation in the push path {match.group(1)}"
    return path


def _push_body(
    topic: str, function: str, data: bytes, attributes: dict[str, str]
) -> dict[str, object]:
    """A Pub/Sub push request as the subscription Terraform defines sends it (wrapped)."""
    published = "2025-01-01T00:00:00Z"
    return {
        "message": {
            "data": base64.b64encode(data).decode(),
            "attributes": attributes,
            "messageId": "m-1",
            "message_id": "m-1",
            "publishTime": published,
            "publish_time": published,
        },
        "subscription": f"projects/proj/subscriptions/{topic}.{function}",
    }


@pytest.mark.parametrize(("topic", "function"), PAIRS)
def test_a_push_reaches_the_real_function_as_its_topics_message(
    topic: str, function: str, ports: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deployed without an Eventarc trigger, the function is told it is HTTP; its decorator
    makes it a CloudEvent function, and the topic in the push path becomes the event source.
    An empty message must be rejected as a malformed message *of that topic* (and acked)."""
    monkeypatch.setenv("FUNCTION_SIGNATURE_TYPE", "http")
    app = functions_framework.create_app(function, str(ROOT / "functions" / function / "main.py"))
    body = _push_body(topic, function, b"{}", {})
    assert app.test_client().post(_push_path(topic), json=body).status_code == 200
    rejected = ports.store.get("rejected_messages", f"{function}:m-1")
    assert rejected is not None
    assert rejected["source"] == f"//pubsub.googleapis.com/projects/proj/topics/{topic}"
    assert rejected["reason"].startswith(f"malformed {topic} message")


def test_a_push_decodes_to_the_published_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "received.json"
    source = tmp_path / "main.py"
    source.write_text(
        "import os\nimport functions_framework\nfrom shared import delivery\n\n"
        "@functions_framework.cloud_event\ndef probe(cloud_event):\n"
        "    with open(os.environ['PROBE_OUT'], 'w') as f:\n"
        "        f.write(delivery.decode(cloud_event).model_dump_json())\n"
    )
    monkeypatch.setenv("PROBE_OUT", str(out))
    monkeypatch.setenv("FUNCTION_SIGNATURE_TYPE", "http")
    event = AnalysisCompleted(
        correlation_id="a-1",
        analysis_id="a-1",
        user_id="u-1",
        symbol="BTC/USDT",
        timeframe="4h",
        signal=Signal.buy,
        confidence=0.7,
    )
    data, attributes = delivery.encode(event)
    app = functions_framework.create_app("probe", str(source))
    body = _push_body(event.topic, "probe", data, attributes)
    assert app.test_client().post(_push_path(event.topic), json=body).status_code == 200
    assert AnalysisCompleted.model_validate(json.loads(out.read_text())) == event


# -- (4) local bus <-> registry ----------------------------------------------------------------
@pytest.mark.parametrize("topic", sorted(REGISTRY.topics))
def test_local_bus_queues_one_row_per_registry_subscriber(topic: str, tmp_path: Path) -> None:
    bus = LocalBus(tmp_path / "bus.sqlite3", project="proj")
    bus.publish(_probe(topic))
    with sqlite3.connect(bus.path) as db:
        rows = db.execute("SELECT topic, subscriber, state FROM queue").fetchall()
    assert sorted(rows) == sorted((topic, sub, "pending") for sub in REGISTRY.subscribers(topic))


def test_local_bus_delivers_every_topic_to_exactly_its_subscribers(tmp_path: Path) -> None:
    delivered: list[tuple[str, str]] = []
    lock = threading.Lock()

    def deliver(function: str, headers: dict[str, str], body: bytes) -> int:
        source = {k.lower(): v for k, v in headers.items()}["ce-source"]
        with lock:
            delivered.append((delivery.topic_of({"source": source}), function))
        return 204

    bus = LocalBus(tmp_path / "bus.sqlite3", project="proj", workers=2)
    for topic in REGISTRY.topics:
        bus.publish(_probe(topic))
    bus.start(deliver)
    try:
        assert bus.wait_idle(timeout=10)
    finally:
        bus.stop()
    assert sorted(delivered) == PAIRS
    assert bus.dead_letters() == []


# -- Terraform names every secret the code reads, and sizes the webhook for setWebhook --------
_SECRET_READ = re.compile(r'secrets\.get\(\s*"([A-Z][A-Z0-9_]+)"')
_SECRET_CONSTANT = re.compile(r'^([A-Z_]+) = "([A-Z][A-Z0-9_]+)"  # noqa: S105', re.MULTILINE)


def _secrets_the_code_reads() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "shared").rglob("*.py"):
        text = path.read_text()
        names.update(_SECRET_READ.findall(text))
        constants = dict(_SECRET_CONSTANT.findall(text))
        names.update(value for key, value in constants.items()
                     if re.search(rf"secrets\.get\(\s*{key}\b", text))
    return names


def test_terraform_creates_every_secret_the_code_reads() -> None:
    catalog = json.loads((INFRA / "envs" / "prod" / "secrets.json").read_text())["secrets"]
    read = _secrets_the_code_reads()
    assert {"TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "JWT_SIGNING_KEY"} <= read
    assert read - set(catalog) == set(), "add these to infra/envs/prod/secrets.json"


def test_the_webhook_serves_as_many_connections_as_set_webhook_asks_for() -> None:
    set_webhook = (ROOT / "shared" / "bot" / "set_webhook.py").read_text()
    asked = re.search(r'"max_connections":\s*(\d+)', set_webhook)
    functions = _strip_comments((INFRA / "envs" / "prod" / "functions.tf").read_text())
    block = re.search(r"telegram_webhook = \{(.*?)\n    \}", functions, re.S)
    assert asked and block
    concurrency = re.search(r"concurrency\s*=\s*(\d+)", block.group(1))
    instances = re.search(r"max_instances\s*=\s*(\d+)", block.group(1))
    assert concurrency and instances
    assert int(concurrency.group(1)) * int(instances.group(1)) >= int(asked.group(1))
    assert re.search(r'cpu\s*=\s*"1"', block.group(1)), "a whole vCPU answers within a second"


def test_every_function_runs_one_gunicorn_thread_per_concurrent_request() -> None:
    module = _strip_comments((INFRA / "modules" / "function" / "main.tf").read_text())
    assert re.search(r"THREADS\s*=\s*tostring\(var\.concurrency\)", module)
