// Runtime settings from web/config.js (window.CHARTGENIUS_CONFIG), with defaults.

export const config = {
  apiBase: "", live: "sse", devLogin: true, ...(window.CHARTGENIUS_CONFIG || {}),
};

// config.devLogin: true signs in as the seeded local user #1 keeping its role (admin, so
// local exploring has no daily quota); an object names another identity, e.g.
// {telegram_id: 2, role: "user"} to try the plain user's quota.
export const DEV_LOGIN = typeof config.devLogin === "object" && config.devLogin
  ? config.devLogin : {telegram_id: 1};

export const FINAL = new Set(["completed", "failed"]);
