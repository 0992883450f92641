// Runtime configuration of the web app, read once at start. deploy.sh replaces this file per
// environment (no rebuild). Fields (src/config.ts checks them):
//   apiBase  — origin of the API ("" = the page's own origin)
//   live     — how the page follows analyses and the inbox: "sse" (the local API's event
//              streams) or "firestore" (Firebase JS SDK listeners; needs `firebase`)
//   devLogin — sign in with POST /api/auth/dev (local only): true for the seeded user
//              {telegram_id: 1}, or an object naming another identity; false in production
//   telegramBotUsername — the bot whose Login Widget signs users in (production)
//   firebase — the Firebase web config {apiKey, authDomain, projectId, appId} (production)
window.CHARTGENIUS_CONFIG = {apiBase: "", live: "sse", devLogin: true};
