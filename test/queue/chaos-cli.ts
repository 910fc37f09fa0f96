/**
 * `npm run chaos -- --shipments=1000 --faults=0.3 [--seed=2026]`: the chaos test
 * (test/queue/chaos.test.ts) at full size, on the suite's own harness (a throwaway
 * PostgreSQL 15, the simulator, worker processes), then its figures as a table.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const figuresFile = "test-results/chaos-figures.json";
rmSync(figuresFile, { force: true });

const run = spawnSync("npx", ["vitest", "run", "test/queue/chaos.test.ts"], {
  stdio: "inherit",
  env: {
    ...process.env,
    CHAOS_SHIPMENTS: arg("shipments", "1000"),
    CHAOS_FAULTS: arg("faults", "0.3"),
    CHAOS_SEED: arg("seed", "2026"),
    CHAOS_FIGURES: figuresFile,
  },
});
if (existsSync(figuresFile)) {
  const figures = JSON.parse(readFileSync(figuresFile, "utf8")) as Record<string, unknown>;
  console.log("\nchaos figures");
  for (const [key, value] of Object.entries(figures)) {
    console.log(`  ${key.padEnd(22)} ${typeof value === "object" ? JSON.stringify(value) : String(value)}`);
  }
}
process.exit(run.status ?? 1);
