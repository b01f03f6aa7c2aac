import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '@mega/subgraph-kit';

export enum MediaKind {
  IMAGE = 'IMAGE',
  VIDEO = 'VIDEO',
  AUDIO = 'AUDIO',
}
registerEnumType(MediaKind, { name: 'MediaKind', description: 'What sort of media a file holds.' });

export enum Visibility {
  PUBLIC = 'PUBLIC',
  UNLISTED = 'UNLISTED',
  PRIVATE = 'PRIVATE',
}
registerEnumType(Visibility, {
  name: 'Visibility',
  description: 'Who may see an asset.',
  valuesConfig: {
    PUBLIC: { description: 'Anyone; listed in the owner\'s `User.media`.' },
    UNLISTED: { description: 'Anyone who has its id or link; not listed.' },
    PRIVATE: { description: 'Only its owner; its file links are signed and expire.' },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An image, video or sound file and what is known about it.' })
export class MediaAsset {
  @Field(() => ID)
  id!: string;

  @Field(() => MediaKind)
  kind!: MediaKind;

  @Field(() => String, { description: '1 to 200 characters.' })
  title!: string;

  @Field(() => String, { description: 'The file\'s media type, for example image/png.' })
  mimeType!: string;

  @Field(() => Int, { description: 'Size of the file in bytes.' })
  byteSize!: number;

  @Field(() => Int, { nullable: true, description: 'In pixels; images and videos only.' })
  width!: number | null;

  @Field(() => Int, { nullable: true, description: 'In pixels; images and videos only.' })
  height!: number | null;

  @Field(() => Int, { nullable: true, description: 'Videos and sounds only.' })
  durationMs!: number | null;

  @Field(() => Visibility)
  visibility!: Visibility;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Int, { description: 'Bumped by every change (title, visibility, the file arriving); pass it as updateMediaAsset(expectedVersion:) to refuse a stale edit.' })
  version!: number;

  /** Who owns it; resolved as a User reference. */
  ownerId!: string;
  /** Whether the file has arrived; only READY assets have links. */
  ready!: boolean;
  /** Whether a thumbnail file exists. */
  hasThumbnail!: boolean;
}

export const { ConnectionType: MediaAssetConnection, EdgeType: MediaAssetEdge } = connectionTypes(MediaAsset, 'MediaAsset');
