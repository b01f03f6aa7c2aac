import { Upload, type DetailedError } from 'tus-js-client';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startFederation, subscribeThroughGateway, type Federation } from '@mega/test-utils';
import { encodePng } from '../images/png.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../upload/upload-limits.js';

const CREATE_UPLOAD = `mutation($input: CreateUploadInput!) { createUpload(input: $input) { uploadUrl asset { id url owner { displayName } } } }`;
type Created = { createUpload: { uploadUrl: string; asset: { id: string; url: string | null; owner: { displayName: string } } } };
const MEDIA_ASSET_READY = `subscription($id: ID!) { mediaAssetReady(id: $id) { id width height byteSize url owner { displayName } } }`;
type Ready = { mediaAssetReady: { id: string; width: number; height: number; byteSize: number; url: string; owner: { displayName: string } } };

describe('uploads through the gateway', () => {
  let federation: Federation;
  let token: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    federation = await startFederation();
    const signUp = await postGraphQL<{ signUp: { accessToken: string } }>(federation.gatewayUrl, {
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
      variables: { input: { email: 'uploader@example.com', password: 'a long enough password', handle: 'uploader', displayName: 'Una Uploader' } },
    });
    expect(signUp.errors).toBeUndefined();
    token = signUp.data!.signUp.accessToken;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await federation?.stop();
  });

  const createUpload = (input: Record<string, unknown>) =>
    postGraphQL<Created>(federation.gatewayUrl, { query: CREATE_UPLOAD, variables: { input } }, { authorization: `Bearer ${token}` });

  it('creates an upload, takes its bytes at the media subgraph, and announces the READY asset with accounts fields', async () => {
    const png = encodePng({ width: 40, height: 30, data: Buffer.alloc(40 * 30 * 4, 90) });
    const created = await createUpload({ filename: 'gray.png', mimeType: 'image/png', byteSize: png.length });
    expect(created.errors).toBeUndefined();
    const { uploadUrl, asset } = created.data!.createUpload;
    expect(asset).toEqual({ id: asset.id, url: null, owner: { displayName: 'Una Uploader' } });
    expect(new URL(uploadUrl).origin).toBe(new URL(federation.media.url).origin);

    const ready = subscribeThroughGateway<Ready>(federation.gatewayUrl, token, { query: MEDIA_ASSET_READY, variables: { id: asset.id } });
    clients.push(ready.client);
    const uploaded = await new Promise<DetailedError | undefined>((resolve) => {
      new Upload(png, { uploadUrl, chunkSize: Math.ceil(png.length / 2), retryDelays: [], onSuccess: () => resolve(undefined), onError: (error) => resolve(error as DetailedError) }).start();
    });
    expect(uploaded).toBeUndefined();

    expect(await ready.ended).toBe('complete');
    expect(ready.results).toEqual([
      { data: { mediaAssetReady: { id: asset.id, width: 40, height: 30, byteSize: png.length, url: expect.stringContaining(`/files/${asset.id}?`), owner: { displayName: 'Una Uploader' } } } },
    ]);
    const file = await fetch(ready.results[0]!.data!.mediaAssetReady.url);
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
  });

  it('passes the upload error codes through to the client', async () => {
    const tooLarge = await createUpload({ filename: 'huge.mp4', mimeType: 'video/mp4', byteSize: DEFAULT_MAX_UPLOAD_BYTES + 1 });
    expect(tooLarge.errors?.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE', argument: 'byteSize', maxBytes: DEFAULT_MAX_UPLOAD_BYTES }),
    ]);
    const anonymous = await postGraphQL(federation.gatewayUrl, { query: CREATE_UPLOAD, variables: { input: { filename: 'a.png', mimeType: 'image/png', byteSize: 1 } } });
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
