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
import { useT } from "~/i18n/use-locale";

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
  const tr = useT();
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
        ? tr("queue.panel.minutes", { m: Math.round(queue.etaSeconds / 60) })
        : tr("queue.panel.seconds", { s: queue.etaSeconds });

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
            {tr("queue.panel.title")}
          </Text>
          <Text as="span" tone="subdued" variant="bodySm">
            {active
              ? [
                  tr("queue.panel.pace", { n: queue.perMinute }),
                  eta ? tr("queue.panel.eta", { t: eta }) : null,
                ]
                  .filter(Boolean)
                  .join(" · ")
              : tr("queue.panel.idle")}
          </Text>
        </InlineStack>
        <InlineGrid columns={4} gap="400">
          {stat(tr("queue.panel.waiting"), queue.waiting, "queue-waiting")}
          {stat(tr("queue.panel.running"), queue.running, "queue-running")}
          {stat(tr("queue.panel.retry"), queue.scheduledRetry, "queue-retry")}
          {stat(tr("queue.panel.failed"), queue.failed, "queue-failed")}
        </InlineGrid>
        {batchId !== null && batch ? (
          <BlockStack gap="100">
            <Text as="p" variant="bodySm">
              <span data-testid="batch-progress">
                {tr("queue.panel.batch", {
                  done: batch.synced + batch.failed,
                  total: batch.total,
                })}
              </span>{" "}
              {batch.failed > 0
                ? tr("queue.panel.batchFailed", { failed: batch.failed })
                : null}
            </Text>
            {/* "All matching" is queued batch by batch: say how far that got. */}
            {batch.walking || batch.batches > 1 ? (
              <Text as="p" variant="bodySm" tone="subdued">
                <span data-testid="batch-walk">
                  {batch.walking
                    ? tr("queue.panel.batchWalking", {
                        queued: batch.queued,
                        total: batch.total,
                        batches: batch.batches,
                      })
                    : tr("queue.panel.batchWalked", {
                        queued: batch.queued,
                        batches: batch.batches,
                      })}
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
