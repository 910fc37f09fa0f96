import { z } from "zod";
import { getPool } from "~/db.server";
import { retryMatching } from "~/shipments/shipment-commands.server";
import { commitImport, type CommitOutcome } from "./commit.server";
import { message, type Message } from "~/i18n/messages";
import {
  failedShipmentIds,
  getImport,
  ROW_FILTERS,
  type RowFilter,
} from "./store.server";

/**
 * What the import page's action does, kept out of the route (parse → authorize → call →
 * render): commit the preview, or retry the syncs that failed.
 */
export type ImportActionBody =
  | {
      ok: true;
      intent: "commit";
      committed: number;
      created: number;
      marked: number;
    }
  | { ok: true; intent: "commit"; running: true }
  | { ok: true; intent: "retry_failed"; retried: number }
  | { ok: false; reason: string; error: Message };

export function parseImportId(raw: string | undefined): number | null {
  if (!raw || !/^\d{1,15}$/.test(raw)) return null;
  const id = Number(raw);
  return id > 0 ? id : null;
}

export const IMPORT_NOT_FOUND: Message = message("imports.commit.notFound");

const NOT_FOUND = (): ImportActionBody => ({
  ok: false,
  reason: "not_found",
  error: IMPORT_NOT_FOUND,
});

const STATUS_OF: Record<
  Exclude<CommitOutcome, { ok: true }>["reason"],
  number
> = {
  not_found: 404,
  already_committed: 409,
  busy: 409,
  refused: 409,
  changed: 409,
  expired: 410,
  nothing_to_commit: 422,
};

/** How long the action waits for a commit before answering "still committing". */
const INLINE_COMMIT_MS = 8_000;

function delay(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

export async function performImportAction(
  {
    shop,
    importId,
    form,
  }: {
    shop: string;
    importId: number | null;
    form: FormData;
  },
  options: { inlineCommitMs?: number } = {},
): Promise<{ status: number; body: ImportActionBody }> {
  if (!importId) return { status: 404, body: NOT_FOUND() };
  const pool = getPool();
  switch (form.get("intent")) {
    case "commit": {
      // Small imports finish within the request. A large one (tens of thousands of rows
      // take tens of seconds, mostly queueing one sync job per shipment) goes on in the
      // background; the page follows it through imports.committed_count, and a commit
      // interrupted by a restart is resumed by committing again.
      const commit = commitImport(pool, shop, importId);
      const outcome = await Promise.race([
        commit,
        delay(options.inlineCommitMs ?? INLINE_COMMIT_MS),
      ]);
      if (outcome === null) {
        commit.catch((error: unknown) => {
          console.error(
            `import ${importId}: the background commit failed; committing again resumes it`,
            error,
          );
        });
        return {
          status: 202,
          body: { ok: true, intent: "commit", running: true },
        };
      }
      if (!outcome.ok) {
        return {
          status: STATUS_OF[outcome.reason],
          body: { ok: false, reason: outcome.reason, error: outcome.message },
        };
      }
      return {
        status: 200,
        body: {
          ok: true,
          intent: "commit",
          committed: outcome.committed,
          created: outcome.created,
          marked: outcome.marked,
        },
      };
    }
    case "retry_failed": {
      if (!(await getImport(pool, shop, importId)))
        return { status: 404, body: NOT_FOUND() };
      const ids = await failedShipmentIds(pool, shop, importId);
      const retried = await retryMatching(pool, shop, {}, ids);
      return {
        status: 200,
        body: { ok: true, intent: "retry_failed", retried: retried.length },
      };
    }
    default:
      return {
        status: 400,
        body: {
          ok: false,
          reason: "unknown_intent",
          error: message("common.unknownAction"),
        },
      };
  }
}

const listQuery = z.object({
  filter: z.enum(ROW_FILTERS as [RowFilter, ...RowFilter[]]).catch("all"),
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,4}$/)
    .transform(Number)
    .pipe(z.number().max(10_000))
    .optional(),
});

/**
 * The detail page's URL parameters. An unknown filter opens all rows (a stale bookmark
 * still works, as on the shipments list); a page number that is not one (letters, 0,
 * past 10,000) is a position the page never wrote: refused, never read as page 1.
 */
export function parseRowListQuery(
  params: URLSearchParams,
):
  | { ok: true; query: { filter: RowFilter; page: number } }
  | { ok: false; error: Message } {
  const raw = params.get("page");
  const parsed = listQuery.safeParse({
    filter: params.get("filter") ?? undefined,
    page: raw ?? undefined,
  });
  if (!parsed.success) {
    return {
      ok: false,
      error: message("imports.page.badPageParam", {
        value: (raw ?? "").slice(0, 20),
      }),
    };
  }
  return { ok: true, query: { filter: parsed.data.filter, page: parsed.data.page ?? 1 } };
}
