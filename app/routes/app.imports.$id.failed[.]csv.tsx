import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";

import { getPool } from "~/db.server";
import { resolveLocale } from "~/i18n/locale";
import { failedRowsCsv } from "~/imports/csv-export";
import { attachmentHeader } from "~/imports/download";
import { refusal } from "~/http/refusal.server";
import {
  IMPORT_NOT_FOUND,
  parseImportId,
} from "~/imports/import-actions.server";
import { failedRows, getImport } from "~/imports/store.server";
import { authenticate } from "~/shopify.server";

/**
 * GET /app/imports/:id/failed.csv — the rows that did not make it (validation errors,
 * or a shipment whose sync failed), as they were uploaded plus the reason, with formulas
 * neutralised. `?locale=en` for English reasons.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseImportId(params.id);
  const summary = id ? await getImport(getPool(), session.shop, id) : null;
  if (!summary) throw refusal(request, 404, IMPORT_NOT_FOUND);
  const rows = await failedRows(getPool(), session.shop, summary.id);
  const csv = failedRowsCsv(summary.columns, rows, resolveLocale(request));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentHeader(
        `import-${summary.id}-failed-rows.csv`,
      ),
      "Cache-Control": "no-store",
    },
  });
};

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
