import { useLocation, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, Text } from "@shopify/polaris";
import type { ShopSyncPause } from "~/shops/sync-circuit.server";
import { useT } from "~/i18n/use-locale";

/** The shop-wide problem that pauses every sync (see ~/shops/sync-circuit.server). */
export function ShopPauseBanner({ pause }: { pause: ShopSyncPause }) {
  const tr = useT();
  const submit = useSubmit();
  const location = useLocation();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formAction === "/app/reauthorize";
  return (
    <Banner
      tone="critical"
      title={tr(`shops.pause.${pause.reason}.title`)}
      action={{
        content: tr(`shops.pause.${pause.reason}.button`),
        loading: busy,
        // A click, never a page load, starts re-authorization: no redirect loops.
        onAction: () =>
          submit(
            { returnTo: `${location.pathname}${location.search}` },
            { method: "post", action: "/app/reauthorize" },
          ),
      }}
    >
      <Text as="p">
        {tr({
          key: `shops.pause.${pause.reason}.body`,
          params: { scopes: pause.missingScopes.join(", ") || "—" },
        })}
      </Text>
    </Banner>
  );
}
