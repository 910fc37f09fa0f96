import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";

import { resolveLocale } from "~/i18n/locale";
import { templateCsv } from "~/imports/csv-export";
import { attachmentHeader } from "~/imports/download";
import { t } from "~/i18n/messages";
import { authenticate } from "~/shopify.server";

/** GET /app/imports/template.csv — the import's columns, in the admin's language (`?locale=`). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const locale = resolveLocale(request);
  return new Response(templateCsv(locale), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentHeader(
        t(locale, "imports.page.templateFileName"),
      ),
      "Cache-Control": "no-store",
    },
  });
};

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
