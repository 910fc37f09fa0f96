import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The JS engine keeps Prisma from downloading native binaries (unreachable offline).
// Prisma never migrates here: supabase/migrations owns the schema.
export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaPg({
      connectionString:
        process.env.DATABASE_URL ?? "postgresql://localhost/unused",
    }),
});
