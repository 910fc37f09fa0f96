/** vitest setupFiles, every lane: an unexpected console.error fails the test (console-errors.ts). */
import { installConsoleErrorGuard } from "./console-errors";

installConsoleErrorGuard();
