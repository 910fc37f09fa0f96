import { useLocation, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, Text } from "@shopify/polaris";
import type { ShopSyncPause } from "~/shops/sync-circuit.server";
import { useLocale } from "~/i18n/use-locale";

const COPY = {
  ja: {
    reauth_required: {
      title: "Shopify への接続が切れています – アプリの再認証が必要です",
      body: "アクセストークンが無効になったため、同期を一時停止しています。出荷データは保持され、再認証後に自動で同期を再開します。",
      button: "アプリを再認証する",
    },
    missing_scope: {
      title: "権限が不足しています – アプリの再認可をご確認ください",
      body: "不足している権限: {scopes}。権限が付与されると、一時停止中の同期を自動で再開します。",
      button: "権限を再認可する",
    },
  },
  en: {
    reauth_required: {
      title: "The connection to Shopify was lost – the app must be re-authorized",
      body: "The access token is no longer valid, so syncing is paused. Your shipments are kept and sync resumes on its own after re-authorization.",
      button: "Re-authenticate the app",
    },
    missing_scope: {
      title: "Missing permissions – please re-authorize the app",
      body: "Missing: {scopes}. Paused syncs resume on their own once the permissions are granted.",
      button: "Re-authorize permissions",
    },
  },
} as const;

/** The shop-wide problem that pauses every sync (see ~/shops/sync-circuit.server). */
export function ShopPauseBanner({ pause }: { pause: ShopSyncPause }) {
  const locale = useLocale();
  const copy = COPY[locale][pause.reason];
  const submit = useSubmit();
  const location = useLocation();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formAction === "/app/reauthorize";
  return (
    <Banner
      tone="critical"
      title={copy.title}
      action={{
        content: copy.button,
        loading: busy,
        // A click, never a page load, starts re-authorization: no redirect loops.
        onAction: () =>
          submit(
            { returnTo: `${location.pathname}${location.search}` },
            { method: "post", action: "/app/reauthorize" },
          ),
      }}
    >
      <Text as="p">{copy.body.replace("{scopes}", pause.missingScopes.join(", ") || "—")}</Text>
    </Banner>
  );
}
