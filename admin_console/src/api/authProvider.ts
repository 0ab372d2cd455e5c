/**
 * React Admin's auth provider on the platform's own login: POST /v1/auth/login (this browser's device id),
 * refresh on 401 (api/http.ts), sign-out forgets the tokens. Only the `admin` and `moderator` groups get past
 * the login screen; the role chooses the screens (the API enforces the same groups on every route).
 */
import type { AuthProvider } from "react-admin";

import { callPublic, restoreSession } from "./http";
import type { components } from "./schema";
import { currentStaff, deviceId, forget, remember } from "./session";

type Tokens = components["schemas"]["TokensOut"];

/** Who is signed in, restoring the session from the refresh token after a reload. */
async function signedIn() {
  if (!currentStaff()) await restoreSession();
  return currentStaff();
}

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    const tokens = await callPublic<Tokens>("/v1/auth/login", {
      method: "POST",
      body: { username: username.trim(), password, device_id: deviceId() },
    });
    remember(tokens); // throws NotStaff for a plain user: they stay on the login screen with its message
  },
  async logout() {
    forget();
  },
  async checkAuth() {
    // not signed in: to the login page without an error notification (React Admin's `message: false`)
    if (!(await signedIn())) throw { message: false };
  },
  async checkError(error: { status?: number }) {
    // The API already refreshed once (api/http.ts): a 401 now means the session is over.
    if (error?.status === 401) {
      forget();
      throw error;
    }
  },
  async getIdentity() {
    const staff = await signedIn();
    if (!staff) throw new Error("Please sign in.");
    return { id: staff.userId, fullName: `${staff.email} (${staff.role})` };
  },
  async getPermissions() {
    // after a reload the screens are chosen once the session is restored; never undefined (React Admin's
    // query would take it for a failure)
    return (await signedIn())?.role ?? null;
  },
};
