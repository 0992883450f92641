// Server-Sent Events parsed from a byte stream: the subset of the spec the API uses (event,
// data, retry, comments). fetch() rather than EventSource, so the token travels in the
// Authorization header and never in a URL.

export interface ServerEvent {
  event: string;
  data: string;
}

export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as
    ReadableWritablePair<string, Uint8Array>).getReader();
  let buffer = "";
  let type = "message";
  let data: string[] = [];
  try {
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer += value;
      // A trailing "\r" may be the first half of "\r\n": keep it for the next chunk.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/);
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "") {
          if (data.length) yield {event: type, data: data.join("\n")};
          type = "message";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") type = text;
        else if (field === "data") data.push(text);
        else if (field === "retry" && /^\d+$/.test(text)) yield {event: "retry", data: text};
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
