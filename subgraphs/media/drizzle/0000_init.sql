CREATE SCHEMA "media";
--> statement-breakpoint
CREATE TYPE "media"."asset_status" AS ENUM('PENDING', 'READY');--> statement-breakpoint
CREATE TYPE "media"."media_kind" AS ENUM('IMAGE', 'VIDEO', 'AUDIO');--> statement-breakpoint
CREATE TYPE "media"."visibility" AS ENUM('PUBLIC', 'UNLISTED', 'PRIVATE');--> statement-breakpoint
CREATE TABLE "media"."album_items" (
	"album_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "album_items_album_id_asset_id_pk" PRIMARY KEY("album_id","asset_id")
);
--> statement-breakpoint
CREATE TABLE "media"."albums" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media"."client_mutations" (
	"user_id" text NOT NULL,
	"client_mutation_id" text NOT NULL,
	"operation" text NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_mutations_user_id_client_mutation_id_pk" PRIMARY KEY("user_id","client_mutation_id")
);
--> statement-breakpoint
CREATE TABLE "media"."media_assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"kind" "media"."media_kind" NOT NULL,
	"title" text NOT NULL,
	"mime_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"duration_ms" integer,
	"visibility" "media"."visibility" DEFAULT 'PRIVATE' NOT NULL,
	"storage_key" text NOT NULL,
	"thumbnail_key" text,
	"status" "media"."asset_status" DEFAULT 'READY' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "media"."album_items" ADD CONSTRAINT "album_items_album_id_albums_id_fk" FOREIGN KEY ("album_id") REFERENCES "media"."albums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media"."album_items" ADD CONSTRAINT "album_items_asset_id_media_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "media"."media_assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "album_items_asset_idx" ON "media"."album_items" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "albums_owner_created_idx" ON "media"."albums" USING btree ("owner_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "media_assets_owner_created_idx" ON "media"."media_assets" USING btree ("owner_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);