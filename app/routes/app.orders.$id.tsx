import { data } from "@remix-run/node";
import { readForm } from "~/http/body-limit.server";
import type {
  HeadersFunction,
  ActionFunctionArgs,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";

import { useT } from "~/i18n/use-locale";
import {
  loadOrderPage,
  ORDER_NOT_FOUND,
  performOrderPageAction,
} from "~/orders/orders-page.server";
import { defaultPlan, quantityFieldName } from "~/orders/shipment-plan";
import { ShipmentNotesBanner } from "~/reconcile/ShipmentNotesBanner";
import { refusal } from "~/http/refusal.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const order = await loadOrderPage(session.shop, params.id);
  if (!order) throw refusal(request, 404, ORDER_NOT_FOUND);
  return { order };
};

/** Creates the shipments of the submitted plan; field errors come back with 400. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const form = await readForm(request);
  const { session } = await authenticate.admin(request);
  const result = await performOrderPageAction(session.shop, params.id, form);
  return data(result.body, { status: result.status });
};

export default function OrderPage() {
  const { order } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const tr = useT();
  const plan = defaultPlan(order.lines);
  const lineById = new Map(order.lines.map((l) => [l.id, l]));
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const fieldErrors =
    actionData && !actionData.ok ? actionData.fieldErrors : {};
  const formError = actionData && !actionData.ok ? actionData.error : undefined;

  useEffect(() => {
    if (actionData?.ok) {
      shopify.toast.show(
        tr("orders.toastCreated", { count: actionData.created.length }),
      );
      setQuantities({});
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  const value = (name: string, fallback: number) =>
    quantities[name] ?? String(fallback);

  return (
    <Page
      title={order.orderName}
      backAction={{ content: tr("orders.orderBack"), url: "/app/orders" }}
      titleMetadata={
        order.cancelledAt ? (
          <Badge tone="critical">{tr("orders.cancelledBadge")}</Badge>
        ) : undefined
      }
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {tr("orders.orderLinesTitle")}
              </Text>
              <DataTable
                columnContentTypes={[
                  "text",
                  "text",
                  "text",
                  "numeric",
                  "numeric",
                  "numeric",
                ]}
                headings={[
                  tr("orders.columnItem"),
                  tr("orders.columnSku"),
                  tr("orders.columnVendor"),
                  tr("orders.columnOrdered"),
                  tr("orders.columnAssigned"),
                  tr("orders.columnRemaining"),
                ]}
                rows={order.lines.map((line) => [
                  line.title,
                  line.sku ?? "—",
                  line.vendor ?? tr("orders.noVendor"),
                  line.quantity,
                  line.assigned,
                  line.remaining,
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Form method="post">
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {tr("orders.createTitle")}
                </Text>
                {order.cancelledAt ? (
                  <Banner tone="critical">{tr("orders.createCancelled")}</Banner>
                ) : null}
                {formError ? (
                  <Banner tone="critical">
                    {tr(formError)}
                  </Banner>
                ) : null}
                {plan.length === 0 ? (
                  <Text as="p">{tr("orders.createNothingLeft")}</Text>
                ) : (
                  <>
                    <Text as="p" tone="subdued">
                      {tr("orders.createBody")}
                    </Text>
                    {plan.map((group, index) => (
                      <BlockStack
                        gap="200"
                        key={`${group.vendor ?? ""}-${index}`}
                      >
                        <Text as="h3" variant="headingSm">
                          {tr("orders.createGroup", {
                            vendor: group.vendor ?? tr("orders.noVendor"),
                          })}
                        </Text>
                        {group.lines.map((line) => {
                          const name = quantityFieldName(line.lineId);
                          const item = lineById.get(line.lineId)!;
                          const error = fieldErrors[name];
                          return (
                            <TextField
                              key={name}
                              label={`${item.title}${item.sku ? ` (${item.sku})` : ""}`}
                              name={name}
                              type="number"
                              min={0}
                              max={line.quantity}
                              value={value(name, line.quantity)}
                              onChange={(next) =>
                                setQuantities((q) => ({ ...q, [name]: next }))
                              }
                              suffix={`/ ${line.quantity}`}
                              error={error ? tr(error) : undefined}
                              autoComplete="off"
                            />
                          );
                        })}
                      </BlockStack>
                    ))}
                    <InlineStack>
                      <Button
                        submit
                        variant="primary"
                        disabled={Boolean(order.cancelledAt)}
                        loading={navigation.state === "submitting"}
                      >
                        {tr("orders.createSubmit")}
                      </Button>
                    </InlineStack>
                  </>
                )}
              </BlockStack>
            </Card>
          </Form>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {tr("orders.shipmentsTitle")}
              </Text>
              {order.shipments.length === 0 ? (
                <Text as="p">{tr("orders.noShipments")}</Text>
              ) : null}
              {order.shipments.map((shipment) => (
                <BlockStack gap="100" key={shipment.id}>
                  <InlineStack gap="200" blockAlign="center">
                    <Link to={`/app/shipments/${shipment.id}`}>
                      <Text as="span" fontWeight="semibold">
                        {shipment.vendor ?? tr("orders.noVendor")}
                      </Text>
                    </Link>
                    <Badge
                      tone={
                        shipment.status === "shipped" ? "success" : undefined
                      }
                    >
                      {shipment.status === "shipped"
                        ? tr("orders.statusShipped")
                        : tr("orders.statusUnshipped")}
                    </Badge>
                    {shipment.syncState === "pending" ? (
                      <Badge tone="attention">{tr("orders.syncPending")}</Badge>
                    ) : null}
                    {shipment.syncState === "failed" ? (
                      <Badge tone="critical">{tr("orders.syncFailed")}</Badge>
                    ) : null}
                    <Text as="span" tone="subdued">
                      {shipment.trackingNumbers.join(", ")}
                    </Text>
                  </InlineStack>
                  <ShipmentNotesBanner notes={shipment.notes} />
                </BlockStack>
              ))}
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
