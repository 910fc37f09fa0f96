/**
 * vitest setupFiles: runs in each test file's process before the file's own imports, so
 * modules that read DATABASE_URL at import time already see this file's database.
 */
import { afterAll } from "vitest";
import { closeTestPool, createTestDatabase } from "./database";

const database = await createTestDatabase();
process.env.TEST_DATABASE_URL = database.url;
process.env.DATABASE_URL = database.url;

// Registered first, so (hooks run as a stack) it runs after the test file's own afterAll.
afterAll(async () => {
  await closeTestPool();
  await database.drop();
});
