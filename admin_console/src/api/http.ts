/**
 * Every call to the platform's API: JSON in and out, the bearer token, one refresh and retry when the access
 * token has expired (401), and the API's error body ({"error": {"code", "message", "details"}}) turned into
 * React Admin's HttpError so each screen shows the API's own message.
 */
import { HttpError } from "react-admin";

import type { components } from "./schema";
import { currentAccessToken, forget, refreshToken, remember } from "./session";

type ErrorBody = components["schemas"]["ErrorBody"];
type Tokens = components["schemas"]["TokensOut"];

export interface Request {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  headers?: Record<string, string>;
}

function url(path: string, query: Request["query"]): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function send(path: string, request: Request, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...request.headers };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(url(path, request.query), {
    method: request.method ?? "GET",
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
}

async function failure(response: Response): Promise<HttpError> {
  const text = await response.text();
  let body: Partial<ErrorBody> | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const message = body?.error?.message ?? `The server answered ${response.status}.`;
  return new HttpError(message, response.status, body);
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time, however many calls found the token expired together. */
async function refreshed(): Promise<boolean> {
  const token = refreshToken();
  if (!token) return false;
  refreshing ??= (async () => {
    const response = await send("/v1/auth/refresh", { method: "POST", body: { refresh_token: token } }, null);
    if (!response.ok) {
      forget();
      return false;
    }
    const tokens: Tokens = await response.json();
    try {
      remember({ ...tokens, refresh_token: tokens.refresh_token ?? token });
    } catch {
      forget(); // no longer staff (removed from the groups): signed out, the refresh token dropped
      return false;
    }
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** A signed-in session can be restored after a reload from the refresh token alone. */
export const restoreSession = refreshed;

export async function call<T>(path: string, request: Request = {}): Promise<T> {
  let response = await send(path, request, currentAccessToken());
  if (response.status === 401 && (await refreshed())) {
    response = await send(path, request, currentAccessToken());
  }
  if (!response.ok) throw await failure(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Unauthenticated calls (login): the API's error message, no refresh. */
export async function callPublic<T>(path: string, request: Request): Promise<T> {
  const response = await send(path, request, null);
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}
