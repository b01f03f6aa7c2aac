CREATE TABLE "no_such_schema"."things" ("id" integer PRIMARY KEY);
