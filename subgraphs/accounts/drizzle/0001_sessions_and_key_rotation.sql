CREATE TABLE "accounts"."refresh_token_families" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text
);
--> statement-breakpoint
-- Hand-written backfill: one family row per family id that refresh tokens already carry.
INSERT INTO "accounts"."refresh_token_families" ("id", "user_id", "created_at")
SELECT "family_id", (array_agg("user_id"))[1], min("created_at") FROM "accounts"."refresh_tokens" GROUP BY "family_id";
--> statement-breakpoint
ALTER TABLE "accounts"."refresh_tokens" ADD COLUMN "successor_hash" text;--> statement-breakpoint
ALTER TABLE "accounts"."refresh_tokens" ADD COLUMN "successor_sealed" text;--> statement-breakpoint
ALTER TABLE "accounts"."signing_keys" ADD COLUMN "generation" integer;--> statement-breakpoint
ALTER TABLE "accounts"."signing_keys" ADD COLUMN "activated_at" timestamp with time zone;--> statement-breakpoint
-- Hand-written backfill: existing keys were all signing keys, numbered oldest first.
UPDATE "accounts"."signing_keys" AS k SET "generation" = n."generation", "activated_at" = k."created_at"
FROM (SELECT "kid", (row_number() OVER (ORDER BY "created_at", "kid"))::integer AS "generation" FROM "accounts"."signing_keys") AS n
WHERE n."kid" = k."kid";
--> statement-breakpoint
ALTER TABLE "accounts"."signing_keys" ALTER COLUMN "generation" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts"."refresh_token_families" ADD CONSTRAINT "refresh_token_families_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "accounts"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refresh_token_families_user_idx" ON "accounts"."refresh_token_families" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "accounts"."refresh_tokens" ADD CONSTRAINT "refresh_tokens_family_id_refresh_token_families_id_fk" FOREIGN KEY ("family_id") REFERENCES "accounts"."refresh_token_families"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_generation_key" ON "accounts"."signing_keys" USING btree ("generation");
