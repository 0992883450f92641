// Runtime configuration of the web app. Production deploys replace this file.
//   apiBase  — origin of the API ("" = the same origin as the page)
//   live     — how the page follows an analysis: "sse" (local API events stream),
//              "poll" (GET every second), or a source a later module registers
//              (e.g. "firestore" through registerLiveSource exported by js/live.js)
//   devLogin — sign in automatically with POST /api/auth/dev (local only): true for
//              the seeded user {telegram_id: 1} (keeps its role), or an object naming another identity
window.CHARTGENIUS_CONFIG = {apiBase: "", live: "sse", devLogin: true};
