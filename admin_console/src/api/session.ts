/**
 * The signed-in staff member's tokens. The access token lives in memory only (a script injected into the page
 * cannot find it in storage); the refresh token in sessionStorage, so a reload of the tab stays signed in
 * while closing the tab signs out (docs/decisions.md). The device id is this browser's, kept across sessions:
 * the platform ties a session to its device (logging in elsewhere ends the other session).
 */
import type { components } from "./schema";

type Tokens = components["schemas"]["TokensOut"];

export type Role = "admin" | "moderator";
const STAFF_GROUPS: readonly Role[] = ["admin", "moderator"];
const REFRESH_KEY = "twtc.admin.refresh";
const EMAIL_KEY = "twtc.admin.email";
const DEVICE_KEY = "twtc.admin.device";

export interface Staff {
  userId: string;
  email: string;
  role: Role;
}

let accessToken: string | null = null;
let staff: Staff | null = null;

export class NotStaff extends Error {
  constructor() {
    super("This account has no access to the admin console.");
  }
}

function claims(jwt: string): Record<string, unknown> {
  const payload = jwt.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
}

/** Who the tokens belong to; the API checks the groups again on every call, this only chooses the screens. */
function staffOf(tokens: Tokens): Staff {
  const access = claims(tokens.access_token);
  const groups = (access["cognito:groups"] as string[] | undefined) ?? [];
  const role = STAFF_GROUPS.find((group) => groups.includes(group));
  if (!role) throw new NotStaff();
  // a refreshed id token may leave the e-mail out: the one from the login is kept for the session
  const email = claims(tokens.id_token).email ?? sessionStorage.getItem(EMAIL_KEY) ?? access.username;
  return { userId: String(access.sub), email: String(email), role };
}

export function remember(tokens: Tokens): Staff {
  const who = staffOf(tokens);
  accessToken = tokens.access_token;
  staff = who;
  if (tokens.refresh_token) sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
  sessionStorage.setItem(EMAIL_KEY, who.email);
  return who;
}

export function forget(): void {
  accessToken = null;
  staff = null;
  sessionStorage.removeItem(REFRESH_KEY);
  sessionStorage.removeItem(EMAIL_KEY);
}

export const currentAccessToken = (): string | null => accessToken;
export const currentStaff = (): Staff | null => staff;
export const refreshToken = (): string | null => sessionStorage.getItem(REFRESH_KEY);

export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = `admin-console-${crypto.randomUUID()}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}
