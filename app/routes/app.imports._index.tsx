import { formatDateTime } from "~/i18n/format-time";
import {
  data,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import type {
  HeadersFunction,
  ActionFunctionArgs,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSubmit,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  DropZone,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { useState } from "react";

import { getPool } from "~/db.server";
import { cappedStreamRequest } from "~/http/body-limit.server";
import { isLocale, resolveLocale, type Locale } from "~/i18n/locale";
import { message, type Message } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/use-locale";
import { useShopTimeZone } from "~/i18n/use-shop-time-zone";
import { tooLarge } from "~/imports/decode";
import { downloadFile } from "~/imports/download";
import { ImportStatusBadge } from "~/imports/ImportStatusBadge";
import { IMPORT_LIMITS } from "~/imports/limits";
import { formatBytes, formatCount } from "~/imports/messages";
import { previewImport } from "~/imports/preview.server";
import { listImports } from "~/imports/store.server";
import { authenticate } from "~/shopify.server";
import { loadOfflineSession } from "~/offline-session.server";
import { shopCountryCode } from "~/shops/shop-country.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const imports = await listImports(getPool(), session.shop);
  return { imports };
};

/**
 * Upload → dry run → the stored preview's page. A file that cannot be read comes back
 * here with one error (400, or 413 when too large) and nothing is stored.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticate.admin(request);
  const upload = await readUpload(request);
  if (!upload.ok)
    return data(
      { error: upload.error, code: upload.code },
      { status: upload.status },
    );
  const outcome = await previewImport(getPool(), session.shop, {
    fileName: upload.fileName,
    bytes: upload.bytes,
    carrierContext: {
      locale: upload.locale ?? resolveLocale(request),
      countryCode: await shopCountryCode(
        getPool(),
        session.shop,
        loadOfflineSession,
      ),
    },
  });
  if (!outcome.ok) {
    return data(
      { error: outcome.message, code: outcome.code },
      { status: outcome.code === "too_large" ? 413 : 400 },
    );
  }
  return redirect(`/app/imports/${outcome.importId}`);
};

type Upload =
  | {
      ok: true;
      fileName: string;
      bytes: Uint8Array;
      locale: Locale | null;
    }
  | { ok: false; status: number; code: string; error: Message };

/** The multipart body, read into memory up to the size limit and no further. */
async function readUpload(request: Request): Promise<Upload> {
  const tooBig = (size: number): Upload => {
    const problem = tooLarge(size);
    return {
      ok: false,
      status: 413,
      code: problem.code,
      error: problem.message,
    };
  };
  const missing: Upload = {
    ok: false,
    status: 400,
    code: "upload_missing",
    error: message("imports.file.uploadMissing"),
  };
  // A hard cap on the bytes read, whatever Content-Length says (a chunked body has none):
  // the parser stops at the first byte past the limit.
  const capped = cappedStreamRequest(inSmallChunks(request), IMPORT_LIMITS.maxUploadBodyBytes);
  if (capped.exceeded()) return tooBig(IMPORT_LIMITS.maxUploadBodyBytes + 1);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      capped.request,
      unstable_createMemoryUploadHandler({
        maxPartSize: IMPORT_LIMITS.maxFileBytes,
        filter: ({ name }) => name === "file" || name === "locale",
      }),
    );
  } catch (error) {
    if (capped.exceeded()) return tooBig(IMPORT_LIMITS.maxUploadBodyBytes + 1);
    if (error instanceof MaxPartSizeExceededError)
      return tooBig(IMPORT_LIMITS.maxFileBytes + 1);
    if (error instanceof TypeError) return missing; // not multipart/form-data
    throw error;
  }
  const file = form.get("file");
  if (!file || typeof file === "string") return missing;
  const locale = form.get("locale");
  return {
    ok: true,
    fileName: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
    locale: isLocale(locale) ? locale : null,
  };
}

/**
 * The multipart parser joins the pieces of each body chunk split at line breaks with one
 * spread call, so a chunk holding hundreds of thousands of CSV lines overflows the stack.
 * Network reads are small, but a body can arrive as one large chunk (a proxy, tests):
 * re-chunk it to 16 KB first.
 */
function inSmallChunks(request: Request): Request {
  if (!request.body) return request;
  const size = 16 * 1024;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        for (let i = 0; i < chunk.length; i += size)
          controller.enqueue(chunk.subarray(i, i + size));
      },
    }),
  );
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    duplex: "half",
  } as RequestInit);
}

export default function ImportsPage() {
  const { imports } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const locale = useLocale();
  const timeZone = useShopTimeZone();
  const tr = useT();
  const [file, setFile] = useState<File | null>(null);
  const [downloading, setDownloading] = useState(false);
  const uploading = navigation.state === "submitting";

  const upload = () => {
    if (!file) return;
    const body = new FormData();
    body.set("file", file);
    body.set("locale", locale);
    submit(body, { method: "post", encType: "multipart/form-data" });
  };

  const downloadTemplate = async () => {
    setDownloading(true);
    try {
      await downloadFile(
        `/app/imports/template.csv?locale=${locale}`,
        tr("imports.page.templateFileName"),
      );
    } finally {
      setDownloading(false);
    }
  };

  const dateTime = (iso: string) => formatDateTime(iso, locale, { timeZone });

  return (
    <Page
      title={tr("imports.page.uploadTitle")}
      subtitle={tr("imports.page.uploadSubtitle")}
      secondaryActions={[
        {
          content: tr("imports.page.downloadTemplate"),
          loading: downloading,
          onAction: downloadTemplate,
        },
      ]}
    >
      <Layout>
        {actionData && "error" in actionData ? (
          <Layout.Section>
            <Banner tone="critical">
              <Text as="p">{tr(actionData.error)}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                {tr("imports.page.uploadCardTitle")}
              </Text>
              <Text as="p">
                {tr("imports.page.uploadHelp", {
                  size: formatBytes(IMPORT_LIMITS.maxFileBytes),
                  rows: formatCount(IMPORT_LIMITS.maxRows),
                })}
              </Text>
              <Text as="p" tone="subdued">
                {tr("imports.page.columnsHelp")}
              </Text>
              <Text as="p" tone="subdued">
                {tr("imports.page.excelHint")}
              </Text>
              <DropZone
                allowMultiple={false}
                onDrop={(files) => setFile(files[0] ?? null)}
              >
                {file ? (
                  <BlockStack inlineAlign="center" gap="200">
                    <Text as="p">
                      {tr("imports.page.chosenFile", {
                        name: file.name,
                        size: formatBytes(file.size),
                      })}
                    </Text>
                  </BlockStack>
                ) : (
                  <DropZone.FileUpload actionHint={tr("imports.page.dropHint")} />
                )}
              </DropZone>
              <InlineStack align="end">
                <Button
                  variant="primary"
                  disabled={!file}
                  loading={uploading}
                  onClick={upload}
                >
                  {tr("imports.page.preview")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {tr("imports.page.recentImports")}
              </Text>
              {imports.length === 0 ? (
                <Text as="p" tone="subdued">
                  {tr("imports.page.noImports")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text"]}
                  headings={[
                    tr("imports.page.columnFile"),
                    tr("imports.page.columnCreated"),
                    tr("imports.page.columnRows"),
                    tr("imports.page.columnStatus"),
                  ]}
                  rows={imports.map((i) => [
                    <Link key={i.id} to={`/app/imports/${i.id}`}>
                      {i.fileName}
                    </Link>,
                    dateTime(i.createdAt),
                    formatCount(i.rowCount),
                    <InlineStack key="status" gap="100">
                      <ImportStatusBadge status={i.status} />
                      {i.errorCount > 0 ? (
                        <Badge tone="critical">{`${tr("imports.page.filterErrors")} ${i.errorCount}`}</Badge>
                      ) : null}
                    </InlineStack>,
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// Thrown authentication responses (401 with the retry header, App Bridge redirects)
// keep their headers only if this route passes them on: see routes/app.tsx.
export const headers: HeadersFunction = (headersArgs) =>
  boundary.headers(headersArgs);
