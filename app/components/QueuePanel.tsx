import { useEffect, useRef, useState } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
import {
  BlockStack,
  Card,
  InlineGrid,
  InlineStack,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import type {
  QueueProgress,
  BatchProgress,
} from "~/queue/queue-progress.server";
import { useLocale } from "~/i18n/use-locale";

const COPY = {
  ja: {
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
  en: {
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
} as const;

const POLL_MS = 2_500;

/**
 * The queue's progress, live: polls /app/queue while anything waits or runs (and
 * while a bulk run is unfinished), and revalidates the page when the counts change so
 * the table's badges follow.
 */
export function QueuePanel({
  initial,
  batchId: startedBatchId,
}: {
  initial: QueueProgress;
  batchId: number | null;
}) {
  const locale = useLocale();
  const copy = COPY[locale];
  // The bulk run's id arrives as action data, and Remix clears action data on the
  // next revalidation (this panel's own, when the counts move): hold on to it, or the
  // progress bar vanishes the moment it first advances.
  const [batchId, setBatchId] = useState(startedBatchId);
  useEffect(() => {
    if (startedBatchId !== null) setBatchId(startedBatchId);
  }, [startedBatchId]);
  const fetcher = useFetcher<{
    queue: QueueProgress;
    batch: BatchProgress | null;
  }>();
  const revalidator = useRevalidator();
  const queue = fetcher.data?.queue ?? initial;
  const batch = fetcher.data?.batch ?? null;
  const active =
    queue.waiting + queue.running + queue.scheduledRetry > 0 ||
    (batchId !== null && !batch?.done);
  const lastKey = useRef<string>("");

  // The fetcher changes identity on every render: read it through a ref, so a page
  // that re-renders often (revalidations, selection) does not restart the timer
  // before it ever fires.
  const latestFetcher = useRef(fetcher);
  latestFetcher.current = fetcher;
  useEffect(() => {
    if (!active) return;
    const url = `/app/queue${batchId ? `?batch=${batchId}` : ""}`;
    const poll = () => {
      const current = latestFetcher.current;
      if (!document.hidden && current.state === "idle") current.load(url);
    };
    // A bulk run just started: show its bar now, not in 2.5 s.
    if (batchId !== null) poll();
    const timer = setInterval(poll, POLL_MS);
    return () => clearInterval(timer);
  }, [active, batchId]);

  // When the numbers move, the table's rows changed too: reload them.
  useEffect(() => {
    if (!fetcher.data) return;
    const key = JSON.stringify([
      fetcher.data.queue.waiting,
      fetcher.data.queue.running,
      fetcher.data.queue.scheduledRetry,
      fetcher.data.queue.failed,
      fetcher.data.batch?.synced,
    ]);
    if (
      lastKey.current &&
      key !== lastKey.current &&
      revalidator.state === "idle"
    )
      revalidator.revalidate();
    lastKey.current = key;
  }, [fetcher.data, revalidator]);

  const eta =
    queue.etaSeconds === null
      ? null
      : queue.etaSeconds >= 90
        ? copy.minutes.replace("{m}", String(Math.round(queue.etaSeconds / 60)))
        : copy.seconds.replace("{s}", String(queue.etaSeconds));

  const stat = (label: string, value: number, testId: string) => (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span" variant="headingLg" numeric>
        <span data-testid={testId}>{value}</span>
      </Text>
    </BlockStack>
  );

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {copy.title}
          </Text>
          <Text as="span" tone="subdued" variant="bodySm">
            {active
              ? [
                  copy.pace.replace("{n}", String(queue.perMinute)),
                  eta ? copy.eta.replace("{t}", eta) : null,
                ]
                  .filter(Boolean)
                  .join(" · ")
              : copy.idle}
          </Text>
        </InlineStack>
        <InlineGrid columns={4} gap="400">
          {stat(copy.waiting, queue.waiting, "queue-waiting")}
          {stat(copy.running, queue.running, "queue-running")}
          {stat(copy.retry, queue.scheduledRetry, "queue-retry")}
          {stat(copy.failed, queue.failed, "queue-failed")}
        </InlineGrid>
        {batchId !== null && batch ? (
          <BlockStack gap="100">
            <Text as="p" variant="bodySm">
              <span data-testid="batch-progress">
                {copy.batch
                  .replace("{done}", String(batch.synced + batch.failed))
                  .replace("{total}", String(batch.total))}
              </span>{" "}
              {batch.failed > 0
                ? copy.batchFailed.replace("{failed}", String(batch.failed))
                : null}
            </Text>
            {/* "All matching" is queued batch by batch: say how far that got. */}
            {batch.walking || batch.batches > 1 ? (
              <Text as="p" variant="bodySm" tone="subdued">
                <span data-testid="batch-walk">
                  {(batch.walking ? copy.batchWalking : copy.batchWalked)
                    .replace("{queued}", String(batch.queued))
                    .replace("{total}", String(batch.total))
                    .replace("{batches}", String(batch.batches))}
                </span>
              </Text>
            ) : null}
            <ProgressBar
              progress={
                batch.total
                  ? Math.round(
                      ((batch.synced + batch.failed) / batch.total) * 100,
                    )
                  : batch.walking
                    ? 0
                    : 100
              }
              tone={batch.failed > 0 ? "critical" : "primary"}
              size="small"
            />
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
