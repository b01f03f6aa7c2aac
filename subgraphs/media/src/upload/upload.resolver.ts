import { randomUUID } from 'node:crypto';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { notFound, requireViewer } from '@mega/subgraph-kit';
import type { MediaContext } from '../context.js';
import { assetFileKey } from '../files/file-storage.js';
import { toMediaAsset } from '../media-asset/media-asset.mapper.js';
import { checkTitle } from '../media-asset/validation.js';
import { UPLOAD_MEDIA_TYPES } from './media-types.js';
import { CreateUploadInput } from './upload.input.js';
import { UploadPayload } from './upload.type.js';
import { checkByteSize, checkFilename, checkMimeType, titleFromFilename } from './validation.js';

@Resolver(() => UploadPayload)
export class UploadResolver {
  @Mutation(() => UploadPayload, {
    description:
      'Creates a PENDING asset of the signed-in user and a resumable (tus) upload for its file. BAD_USER_INPUT for a type that is not ' +
      'accepted or a bad name or size, PAYLOAD_TOO_LARGE over the largest upload size, QUOTA_EXCEEDED when the user\'s assets (PENDING ' +
      'ones included) would exceed their quota. A retry with the same clientMutationId returns the same payload.',
  })
  async createUpload(@Arg('input', () => CreateUploadInput) input: CreateUploadInput, @Ctx() context: MediaContext): Promise<UploadPayload> {
    const ownerId = requireViewer(context);
    const filename = checkFilename(input.filename);
    const mimeType = checkMimeType(input.mimeType);
    const byteSize = checkByteSize(input.byteSize, context.uploadLimits);
    const title = input.title != null ? checkTitle(input.title, 'title') : titleFromFilename(filename);
    const id = randomUUID();
    const { kind, extension } = UPLOAD_MEDIA_TYPES[mimeType]!;
    const assetId = await context.assets.createPending(
      { id, ownerId, kind, title, mimeType, byteSize, storageKey: assetFileKey(id, 'original', extension) },
      { quotaBytes: context.uploadLimits.quotaBytes, clientMutationId: input.clientMutationId },
    );
    const asset = await context.assetById.load(assetId);
    // Only a retry can find its asset gone: the upload was cancelled, refused or swept since.
    if (!asset) throw notFound('Media asset');
    return { uploadUrl: context.uploadLinks.uploadUrl(asset), expiresAt: context.uploadLinks.expiresAt(asset.createdAt), asset: toMediaAsset(asset) };
  }
}
