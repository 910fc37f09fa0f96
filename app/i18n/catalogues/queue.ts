import type { Translation } from "../catalogue";

/** The sync queue: its panel on the shipments list, and bulk retries. */
const ja = {
  panel: {
    title: "同期キュー",
    waiting: "待機中",
    running: "実行中",
    retry: "再試行待ち",
    failed: "同期エラー",
    pace: "{n} 件/分",
    eta: "残り約 {t}",
    idle: "待機中の同期はありません",
    batch: "一括再試行: {done} / {total} 件完了",
    batchWalking: "再キュー中: {queued} / {total} 件（{batches} バッチ）",
    batchWalked: "{batches} バッチで {queued} 件を再キューしました",
    batchFailed: "({failed} 件がエラー)",
    minutes: "{m} 分",
    seconds: "{s} 秒",
  },
  /** The bulk retry form's and the panel's refusals. */
  errors: {
    noneSelected: "出荷を 1 件以上選択してください。",
    tooMany:
      "一度に選択できるのは {max} 件までです。「条件に一致するすべてを再試行」を使ってください。",
    badId: "出荷の番号が正しくありません: {value}",
    badBatch: "一括再試行の番号（batch）が正しくありません: {value}",
    batchNotFound: "この一括再試行は見つかりません。",
  },
} as const;

const en: Translation<typeof ja> = {
  panel: {
    title: "Sync queue",
    waiting: "Waiting",
    running: "Running",
    retry: "Retry scheduled",
    failed: "Sync errors",
    pace: "{n} per minute",
    eta: "About {t} left",
    idle: "No syncs waiting",
    batch: "Bulk retry: {done} of {total} done",
    batchWalking: "Queuing: {queued} of {total} ({batches} batches)",
    batchWalked: "{queued} queued in {batches} batches",
    batchFailed: "({failed} failed)",
    minutes: "{m} min",
    seconds: "{s} s",
  },
  errors: {
    noneSelected: "Select at least one shipment.",
    tooMany:
      "Select at most {max} shipments, or use “all matching this filter”.",
    badId: "A shipment number is not valid: {value}",
    badBatch: "The bulk retry number (batch) is not valid: {value}",
    batchNotFound: "This bulk retry was not found.",
  },
};

export const queue = { ja, en };
