import { useEffect, useRef } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";

export const LIVE_POLL_MS = 2_500;

/**
 * Follows the queue from an open page without a reload: while `active`, polls `url`
 * (a resource route answering `{ pulse }`) every 2.5 s — one request in flight at most,
 * none while the tab is hidden — and revalidates the page's loaders when the pulse
 * differs from the one the page was rendered with.
 */
export function useLivePulse(url: string, pulse: string, active: boolean): void {
  const fetcher = useFetcher<{ pulse: string }>();
  const revalidator = useRevalidator();
  const state = useRef({ fetcher, revalidator });
  state.current = { fetcher, revalidator };

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      const { fetcher } = state.current;
      if (document.hidden || fetcher.state !== "idle") return;
      fetcher.load(url);
    }, LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [url, active]);

  // Once per new pulse seen: the page may move on further before the next poll.
  const seen = fetcher.data?.pulse;
  const revalidatedFor = useRef<string | null>(null);
  useEffect(() => {
    const { revalidator } = state.current;
    if (!seen || seen === pulse || seen === revalidatedFor.current) return;
    revalidatedFor.current = seen;
    revalidator.revalidate();
  }, [seen, pulse]);
}
