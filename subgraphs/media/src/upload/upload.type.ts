import { Field, ObjectType } from 'type-graphql';
import { MediaAsset } from '../media-asset/media-asset.type.js';

@ObjectType({ description: 'A PENDING asset and where to upload its file.' })
export class UploadPayload {
  @Field(() => String, {
    description:
      'The tus 1.0 upload URL of the asset (`.../uploads/<id>?token=...`), valid until `expiresAt`. Resume it with HEAD, send bytes with PATCH, ' +
      'cancel with DELETE; never POST to create one. The asset becomes READY, and mediaAssetReady fires, when the last byte has arrived and checks out.',
  })
  uploadUrl!: string;

  @Field(() => Date, { description: 'When `uploadUrl` stops working; an unfinished upload is deleted after that.' })
  expiresAt!: Date;

  @Field(() => MediaAsset, { description: 'The asset, PENDING (url null) until its upload finishes; PRIVATE until changed.' })
  asset!: MediaAsset;
}
