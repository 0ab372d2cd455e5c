/**
 * React Admin's data provider on the /v1/admin routes. Each resource names its path and id field; lists are
 * cursor-paged by the API, so page N is reached through the cursors of pages 1..N-1 (remembered per list and
 * filter) and React Admin is told only whether there is a next page. Writes send what the API's models take.
 */
import type { DataProvider, GetListParams, Identifier, RaRecord } from "react-admin";

import { call } from "./http";

interface ResourceSpec {
  path: string;
  idField: string;
  /** The query parameter of an exact lookup (the users search): one page, no cursor. */
  search?: string;
  /** False for a list whose route takes no `limit` (the fraud queue's page size is the API's). */
  takesLimit?: boolean;
}

const RESOURCES: Record<string, ResourceSpec> = {
  users: { path: "/v1/admin/users", idField: "user_id", search: "query" },
  videos: { path: "/v1/admin/videos", idField: "video_id" },
  "quiz-questions": { path: "/v1/admin/quiz-questions", idField: "question_id" },
  "task-types": { path: "/v1/admin/task-types", idField: "task_type_id" },
  "fraud-events": { path: "/v1/admin/fraud-events", idField: "event_id", takesLimit: false },
  kyc: { path: "/v1/admin/kyc", idField: "kyc_id" },
  withdrawals: { path: "/v1/admin/withdrawals", idField: "id" },
};

interface Page {
  items: Record<string, unknown>[];
  next_cursor?: string | null;
}

function spec(resource: string): ResourceSpec {
  const found = RESOURCES[resource];
  if (!found) throw new Error(`Unknown resource ${resource}`);
  return found;
}

const withId = (resource: string, item: Record<string, unknown>): RaRecord =>
  ({ ...item, id: item[spec(resource).idField] as Identifier }) as RaRecord;

const itemPath = (resource: string, id: Identifier) => `${spec(resource).path}/${encodeURIComponent(String(id))}`;

/** What a form holds minus what React Admin adds (the `id`) — the API refuses unknown fields. */
function payload(data: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = data;
  return rest;
}

/** Only the fields the form changed: PATCH leaves the others as they are. */
function changes(data: Record<string, unknown>, previous: Record<string, unknown>, idField: string) {
  return Object.fromEntries(
    Object.entries(payload(data)).filter(
      ([name, value]) => name !== idField && JSON.stringify(value) !== JSON.stringify(previous[name]),
    ),
  );
}

// page N's cursor, per list and filter ("" for the first page)
const cursors = new Map<string, Map<number, string | null>>();

async function getPage(resource: string, params: GetListParams) {
  const { path, search, takesLimit = true } = spec(resource);
  const { page, perPage } = params.pagination ?? { page: 1, perPage: 20 };
  const { q, ...filters } = params.filter ?? {};
  if (search) {
    // an exact lookup: no query, no result (the API never lists everybody)
    const query = String(q ?? "").trim();
    if (!query) return { data: [], pageInfo: { hasNextPage: false, hasPreviousPage: false } };
    const found = await call<Page>(path, { query: { [search]: query } });
    return { data: found.items.map((item) => withId(resource, item)), pageInfo: { hasNextPage: false, hasPreviousPage: false } };
  }
  const key = JSON.stringify([resource, filters, perPage]);
  const known = cursors.get(key) ?? new Map<number, string | null>([[1, null]]);
  cursors.set(key, known);
  const limit = takesLimit ? perPage : undefined;
  let reached = Math.max(...[...known.keys()].filter((n) => n <= page));
  let result: Page = { items: [] };
  for (; reached <= page; reached++) {
    const cursor = known.get(reached);
    if (cursor === undefined) break; // the list ended before this page
    result = await call<Page>(path, { query: { ...filters, limit, cursor } });
    if (result.next_cursor) known.set(reached + 1, result.next_cursor);
    else known.delete(reached + 1);
  }
  return {
    data: result.items.map((item) => withId(resource, item)),
    pageInfo: { hasNextPage: Boolean(result.next_cursor), hasPreviousPage: page > 1 },
  };
}

export const dataProvider: DataProvider = {
  getList: (resource, params) => getPage(resource, params) as never,

  async getOne(resource, params) {
    const found = await call<Record<string, unknown>>(itemPath(resource, params.id));
    // the user detail nests the summary; React Admin wants the id at the top
    const record = resource === "users" ? { ...found, ...(found.user as object) } : found;
    return { data: withId(resource, record) } as never;
  },

  async getMany(resource, params) {
    const records = await Promise.all(params.ids.map((id) => dataProvider.getOne(resource, { id })));
    return { data: records.map((record) => record.data) } as never;
  },

  async getManyReference() {
    throw new Error("Not used by the console.");
  },

  async create(resource, params) {
    const created = await call<Record<string, unknown>>(spec(resource).path, { method: "POST", body: payload(params.data) });
    cursors.clear();
    return { data: withId(resource, created) } as never;
  },

  async update(resource, params) {
    const body = changes(params.data, params.previousData ?? {}, spec(resource).idField);
    const updated = await call<Record<string, unknown>>(itemPath(resource, params.id), { method: "PATCH", body });
    return { data: withId(resource, updated) } as never;
  },

  async updateMany() {
    throw new Error("The API changes one item at a time.");
  },

  async delete(resource, params) {
    await call(itemPath(resource, params.id), { method: "DELETE" });
    cursors.clear();
    return { data: params.previousData } as never;
  },

  async deleteMany(resource, params) {
    await Promise.all(params.ids.map((id) => call(itemPath(resource, id), { method: "DELETE" })));
    cursors.clear();
    return { data: params.ids } as never;
  },
};
