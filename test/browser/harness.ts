/**
 * Browser tests: Debian's Chromium, driven by playwright-core, against the demo stack
 * (test/demo/stack.ts) — the admin frame, the App Bridge stand-in, the app's production
 * build with its worker, the Shopify simulator. One stack and one browser per test file.
 *
 * Never a downloaded browser: /usr/bin/chromium (CHROMIUM_PATH overrides). Requests carry
 * a normal Chrome user agent, because the Shopify library answers bot-like agents
 * (HeadlessChrome included) with 410.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Frame,
  type FrameLocator,
  type Page,
} from "playwright-core";
import { afterEach } from "vitest";

import { REPO_ROOT } from "../demo/app-build";
import { startDemoStack, type DemoStack } from "../demo/stack";
import { testDatabaseUrl } from "../support/database";

export const CHROME_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** No GPU, no QUIC, nothing fetched from Google in the background. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const SCREENSHOT_DIR = path.join(
  REPO_ROOT,
  "test-results",
  "screenshots",
);

/** Everything a browser test file needs; `close()` in afterAll. */
export interface BrowserWorld {
  stack: DemoStack;
  browser: Browser;
  /**
   * Opens the admin frame on an app page in a new tab and waits for hydration. The
   * previous tab is closed (its polling would only add load).
   */
  openAdmin(options?: {
    path?: string;
    locale?: "ja" | "en";
  }): Promise<AdminPage>;
  close(): Promise<void>;
}

export interface AdminPage {
  page: Page;
  /** The app inside the admin frame's iframe. */
  app: FrameLocator;
  /** The app's frame (for evaluate / waitForFunction). */
  appFrame(): Frame;
  /** Waits until the app's Remix router is idle after hydration or a navigation. */
  settled(): Promise<void>;
  /** Saves test-results/screenshots/<name>.png: the app only, or the whole admin frame. */
  screenshot(name: string, options?: { whole?: boolean }): Promise<string>;
  /** Console errors and uncaught exceptions from the frame and the app so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}: install Debian's (apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH.`,
    );
  }
  // playwright gives every launch a fresh temporary --user-data-dir and removes it on close.
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/**
 * Starts the demo stack on this test file's database (test/support: migrated, queue
 * schema installed; the stack loads the seed) and a browser.
 */
let runningStack: DemoStack | undefined;

/**
 * A failed browser test says what the app and "Shopify" were doing: CI keeps only the end
 * of the run's output, so the app's last lines and the simulator's last requests are
 * added to the failure itself rather than printed along the way.
 */
afterEach((context) => {
  const stack = runningStack;
  if (context.task.result?.state !== "fail" || !stack) return;
  const appTail = stack.appOutput().trimEnd().split("\n").slice(-40).join("\n");
  const requests = stack.control
    .requestLog()
    .slice(-15)
    .map(
      (r) =>
        `${r.at} ${r.operationName ?? r.rootFields.join(",")} → ${r.outcome}${r.throttled ? " (throttled)" : ""}`,
    )
    .join("\n");
  throw new Error(
    `[failure report] the app's last output:\n${appTail || "(nothing)"}\n\n` +
      `the simulator's last requests:\n${requests || "(none)"}`,
  );
});

export async function startBrowserWorld(
  options: { appEnv?: Record<string, string> } = {},
): Promise<BrowserWorld> {
  const [stackResult, browserResult] = await Promise.allSettled([
    startDemoStack({ databaseUrl: testDatabaseUrl(), appEnv: options.appEnv }),
    launchChromium(),
  ]);
  if (
    stackResult.status === "rejected" ||
    browserResult.status === "rejected"
  ) {
    if (stackResult.status === "fulfilled") await stackResult.value.stop();
    if (browserResult.status === "fulfilled") await browserResult.value.close();
    throw stackResult.status === "rejected"
      ? stackResult.reason
      : (browserResult as PromiseRejectedResult).reason;
  }
  const stack = stackResult.value;
  const browser = browserResult.value;
  runningStack = stack;
  // One context per file: its HTTP cache keeps the app's scripts and Polaris' styles, so
  // each test's page loads only what changed. The language comes from the admin's
  // `locale` parameter, as in Shopify, not from the browser.
  const context = await browser.newContext({
    userAgent: CHROME_USER_AGENT,
    viewport: { width: 1440, height: 900 },
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
  });
  let current: AdminPage | undefined;
  return {
    stack,
    browser,
    openAdmin: async (opts = {}) => {
      await current?.close().catch(() => undefined);
      current = await openAdmin(stack, context, opts);
      return current;
    },
    close: async () => {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stack.stop();
      if (runningStack === stack) runningStack = undefined;
    },
  };
}

async function openAdmin(
  stack: DemoStack,
  context: BrowserContext,
  {
    path: appPath = "/app",
    locale = "ja",
  }: { path?: string; locale?: "ja" | "en" },
): Promise<AdminPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error")
      errors.push(`console.error: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));

  const app = page.frameLocator("#app-frame");
  const appFrame = () => {
    const frame = page
      .frames()
      .find((f) => f.url().startsWith(stack.appOrigin));
    if (!frame) throw new Error("the app's iframe has not loaded");
    return frame;
  };
  const settled = async () => {
    await waitForAppFrame();
    await appFrame().waitForFunction(
      () => {
        const router = (
          window as unknown as {
            __remixRouter?: {
              state: { initialized: boolean; navigation: { state: string } };
            };
          }
        ).__remixRouter;
        return Boolean(
          router?.state.initialized && router.state.navigation.state === "idle",
        );
      },
      undefined,
      { timeout: 20_000 },
    );
  };
  const waitForAppFrame = async () => {
    const deadline = Date.now() + 20_000;
    while (!page.frames().some((f) => f.url().startsWith(stack.appOrigin))) {
      if (Date.now() > deadline)
        throw new Error("the app's iframe never loaded");
      await page.waitForTimeout(50);
    }
  };

  await page.goto(stack.frameUrl({ path: appPath, locale }));
  await settled();

  return {
    page,
    app,
    appFrame,
    settled,
    errors,
    screenshot: async (name, { whole = false } = {}) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      if (whole) await page.screenshot({ path: file });
      else await page.locator("#app-frame").screenshot({ path: file });
      return file;
    },
    close: () => page.close(),
  };
}
