CREATE SCHEMA "readiness_probe";
--> statement-breakpoint
CREATE TABLE "readiness_probe"."things" ("id" integer PRIMARY KEY);
