"""A fake Cloud Pub/Sub Publisher on 127.0.0.1 (gRPC), for ``PUBSUB_EMULATOR_HOST``.

It serves ``google.pubsub.v1.Publisher/Publish`` with grpcio's generic handlers and the
library's own proto types, so a function's real ``PublisherClient`` (batching, retries, the
wire format) publishes to it. Each message is recorded with the id it was given; the
rehearsal hands it on to the subscribed function as the push subscription would.
"""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass

import grpc
from google.pubsub_v1.types import PublishRequest, PublishResponse


@dataclass(frozen=True)
class Published:
    topic: str  # the short name (shared/topics.json), not projects/<p>/topics/<t>
    message_id: str
    data: bytes
    attributes: dict[str, str]


class FakePublisher:
    def __init__(self) -> None:
        self.messages: list[Published] = []
        self._lock = threading.Lock()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        handler = grpc.method_handlers_generic_handler("google.pubsub.v1.Publisher", {
            "Publish": grpc.unary_unary_rpc_method_handler(
                self._publish,
                request_deserializer=PublishRequest.deserialize,
                response_serializer=PublishResponse.serialize,
            ),
        })
        self._server.add_generic_rpc_handlers((handler,))
        self.port = self._server.add_insecure_port("127.0.0.1:0")

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> FakePublisher:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop(grace=None)

    def _publish(self, request: PublishRequest, context: grpc.ServicerContext) -> PublishResponse:
        topic = request.topic.rsplit("/", 1)[-1]
        ids = []
        with self._lock:
            for message in request.messages:
                message_id = str(len(self.messages) + 1)
                self.messages.append(Published(topic, message_id, bytes(message.data),
                                               dict(message.attributes)))
                ids.append(message_id)
        return PublishResponse(message_ids=ids)

    def take(self, topic: str) -> list[Published]:
        """The messages published to ``topic`` so far, removed from the record."""
        with self._lock:
            taken = [m for m in self.messages if m.topic == topic]
            self.messages = [m for m in self.messages if m.topic != topic]
        return taken
