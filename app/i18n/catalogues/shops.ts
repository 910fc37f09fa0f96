import type { Translation } from "../catalogue";

/** The shop's own matters: sync settings, re-authorization, the shop-wide pause banner. */
const ja = {
  settings: {
    title: "同期の設定",
    autoRetry: "失敗した同期を自動で再試行する",
    autoRetryHelp:
      "一時的なエラー (Shopify の障害、応答の消失) のみ、間隔を空けて再試行します。権限・入力・データの問題は再試行せず、対処方法を表示します。混雑 (スロットリング) は失敗に数えず、待ってから送ります。",
    window: "再試行を続ける時間 (時間)",
    windowHelp:
      "最初の失敗からこの時間が過ぎても同期できないときは「同期エラー」として手動対応を待ちます。数時間の Shopify 障害なら人手なしで回復します ({min}〜{max} 時間)。",
    save: "保存",
    saved: "設定を保存しました",
    retryWaits: "再試行の間隔: 約 2 秒から倍々に、最大 15 分",
    windowInvalid:
      "再試行を続ける時間は {min} 〜 {max} の整数 (時間) で入力してください。",
    autoRetryInvalid:
      "自動再試行のオン・オフは true か false で送ってください。ページを開き直してから保存してください。",
  },
  reauthorize: {
    notOptionalScope: "このアプリが求める権限ではありません: {scope}",
  },
  /** The banner of a shop-wide problem that pauses every sync (~/shops/sync-circuit.server). */
  pause: {
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
} as const;

const en: Translation<typeof ja> = {
  settings: {
    title: "Sync settings",
    autoRetry: "Retry failed syncs automatically",
    autoRetryHelp:
      "Only temporary errors (Shopify outages, lost answers) are retried, with growing waits. Permission, input and data problems are not: their guidance is shown. Throttling is not a failure: the sync waits, then sends.",
    window: "Keep retrying for (hours)",
    windowHelp:
      "If a sync still fails this long after its first failure, the shipment shows “Sync error” and waits for a person. A Shopify outage of a few hours heals by itself ({min}–{max} hours).",
    save: "Save",
    saved: "Settings saved",
    retryWaits: "Retry waits: from about 2 s, doubling, up to 15 min",
    windowInvalid: "Enter a whole number of hours from {min} to {max}.",
    autoRetryInvalid:
      "Automatic retry must be sent as true or false. Reload the page and save again.",
  },
  reauthorize: {
    notOptionalScope: "This is not a permission this app asks for: {scope}",
  },
  pause: {
    reauth_required: {
      title:
        "The connection to Shopify was lost – the app must be re-authorized",
      body: "The access token is no longer valid, so syncing is paused. Your shipments are kept and sync resumes on its own after re-authorization.",
      button: "Re-authenticate the app",
    },
    missing_scope: {
      title: "Missing permissions – please re-authorize the app",
      body: "Missing: {scopes}. Paused syncs resume on their own once the permissions are granted.",
      button: "Re-authorize permissions",
    },
  },
};

export const shops = { ja, en };
