import { Field, InputType, Int } from 'type-graphql';
import { MAX_CLIENT_MUTATION_ID_LENGTH } from '@mega/subgraph-kit';
import { TITLE_MAX_LENGTH } from '../media-asset/validation.js';
import { FILENAME_MAX_LENGTH } from './validation.js';

@InputType({ description: 'The file a client is about to upload.' })
export class CreateUploadInput {
  @Field(() => String, { description: `The file's name, 1 to ${FILENAME_MAX_LENGTH} characters; the default title.` })
  filename!: string;

  @Field(() => String, {
    description:
      'The media type: image/png, image/jpeg, image/webp, image/gif, audio/mpeg, audio/ogg, audio/wav, video/mp4 or video/webm. ' +
      'The uploaded bytes must be of this type.',
  })
  mimeType!: string;

  @Field(() => Int, { description: 'Exact size of the file in bytes, from 1 to the largest upload size; the upload must send exactly this many.' })
  byteSize!: number;

  @Field(() => String, { nullable: true, description: `1 to ${TITLE_MAX_LENGTH} characters; default: the filename.` })
  title?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `1 to ${MAX_CLIENT_MUTATION_ID_LENGTH} characters. A retry with the same value returns the first call's payload (same asset, same uploadUrl).`,
  })
  clientMutationId?: string | null;
}
