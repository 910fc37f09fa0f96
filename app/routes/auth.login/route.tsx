import { useState } from "react";

import { data } from "@remix-run/node";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  AppProvider as PolarisAppProvider,
  Button,
  Card,
  FormLayout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";

import { readFormRequest } from "../../http/body-limit.server";
import { resolveLocale } from "../../i18n/locale";
import { translator } from "../../i18n/messages";
import { polarisTranslations } from "../../i18n/polaris.server";
import { login } from "../../shopify.server";

import { loginErrorMessage } from "./error.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Outside the admin (installing from a link, local development): the merchant types
// the shop domain and `login` sends them to Shopify to open the app there.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const locale = resolveLocale(request);
  const errors = loginErrorMessage(await login(request), locale);

  return { errors, locale, polarisTranslations: polarisTranslations(locale) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  // The shop field only: the body is read within the form limit before the library sees
  // it. Past the limit the page says so (413), in the page's language.
  let limited: Request;
  try {
    limited = await readFormRequest(request);
  } catch (refusal) {
    if (!(refusal instanceof Response)) throw refusal;
    return data(
      { errors: { shop: await refusal.text() } },
      { status: refusal.status },
    );
  }
  const errors = loginErrorMessage(
    await login(limited),
    resolveLocale(request),
  );

  return { errors };
};

export default function Auth() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const { errors } = actionData ?? loaderData;
  // Outside the admin there is no app layout to read the language from: the loader's.
  const tr = translator(loaderData.locale);

  return (
    <PolarisAppProvider i18n={loaderData.polarisTranslations}>
      <Page>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                {tr("auth.title")}
              </Text>
              <TextField
                type="text"
                name="shop"
                label={tr("auth.shop")}
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={errors.shop}
              />
              <Button submit>{tr("auth.submit")}</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
