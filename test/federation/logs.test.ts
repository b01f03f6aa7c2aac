import { Writable } from 'node:stream';
import { createLogger as createGatewayLogger } from '@mega/gateway';
import { createLogger } from '@mega/subgraph-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, postGraphQL, startFederation, TEST_GATEWAY_SECRET, type Federation } from '@mega/test-utils';

const SERVICES = ['gateway', 'accounts', 'comms', 'media', 'commerce'] as const;
type Service = (typeof SERVICES)[number];

interface LogLine {
  msg: string;
  requestId?: string;
  operationName?: string | null;
  userId?: string | null;
  errorCodes?: string[];
  [key: string]: unknown;
}

/** One request through every subgraph: the signed-in user (accounts), a conversation's messages and senders (comms, accounts), products and their images (commerce, media). */
const ACROSS_EVERY_SUBGRAPH = `query AcrossEverySubgraph {
  me { displayName conversations(first: 1) { edges { node { messages(first: 1) { edges { node { body sender { displayName } } } } } } } }
  products(first: 1) { edges { node { title images { url } } } }
}`;

describe('logs: one request id through every process, and no secret in any line', () => {
  let federation: Federation;
  /** Every line each process logged, as written (JSON), at the most verbose level. */
  const written = Object.fromEntries(SERVICES.map((service) => [service, [] as string[]])) as Record<Service, string[]>;
  const lines = (service: Service): LogLine[] => written[service].map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    federation = await startFederation({
      seed: true,
      logger: (service) => {
        const sink = new Writable({
          write(chunk: Buffer, _encoding, done) {
            written[service as Service].push(...chunk.toString('utf8').split('\n').filter(Boolean));
            done();
          },
        });
        return service === 'gateway' ? createGatewayLogger('trace', sink) : createLogger(service, 'trace', sink);
      },
    });
  });
  afterAll(() => federation?.stop());

  async function logIn(password: string) {
    return postGraphQL<{ logIn: { accessToken: string; refreshToken: string } }>(federation.gatewayUrl, {
      query: 'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken refreshToken } }',
      variables: { email: DEMO_USERS.alice.email, password },
    });
  }

  it('returns the request id in x-request-id and in every error, and each process the request reached logs it once', async () => {
    const { data } = await logIn(DEMO_USERS.alice.password);
    const response = await postGraphQL(federation.gatewayUrl, { query: ACROSS_EVERY_SUBGRAPH }, { authorization: `Bearer ${data!.logIn.accessToken}` });
    expect(response.errors).toBeUndefined();
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const { me } = (await postGraphQL<{ me: { id: string } }>(federation.gatewayUrl, { query: '{ me { id } }' }, { authorization: `Bearer ${data!.logIn.accessToken}` })).data!;
    for (const service of SERVICES) {
      const served = lines(service).filter((line) => line.msg === 'graphql request' && line.requestId === requestId);
      expect(served.length, service).toBeGreaterThanOrEqual(1); // once, or once per entity fetch the plan sent there
      expect(served.every((line) => line.userId === me.id), service).toBe(true);
    }
    expect(lines('gateway').find((line) => line.requestId === requestId && line.msg === 'graphql request')?.operationName).toBe('AcrossEverySubgraph');

    // An error carries the id of its request, which the logs carry with its code.
    const failed = await postGraphQL(federation.gatewayUrl, { query: 'query TooMany { products(first: 500) { edges { cursor } } }' });
    const failedId = failed.headers.get('x-request-id')!;
    expect(failed.errors?.[0]?.extensions?.requestId).toBe(failedId);
    const logged = lines('gateway').find((line) => line.requestId === failedId && line.msg === 'graphql request');
    expect(logged?.errorCodes).toEqual([failed.errors![0]!.extensions!.code]);
  });

  it('never writes a password, an access or refresh token, or the gateway secret, whatever the level', async () => {
    const wrong = `not-${DEMO_USERS.alice.password}-${Date.now()}`;
    expect((await logIn(wrong)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const { data } = await logIn(DEMO_USERS.alice.password);
    const { accessToken, refreshToken } = data!.logIn;
    const refreshed = await postGraphQL<{ refreshSession: { accessToken: string; refreshToken: string } }>(federation.gatewayUrl, {
      query: 'mutation Refresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { accessToken refreshToken } }',
      variables: { refreshToken },
    });
    expect(refreshed.errors).toBeUndefined();
    await postGraphQL(federation.gatewayUrl, { query: ACROSS_EVERY_SUBGRAPH }, { authorization: `Bearer ${accessToken}` });
    await postGraphQL(federation.gatewayUrl, { query: '{ me { id } }' }, { authorization: `Bearer ${accessToken}x` }); // a forged token is logged as refused, not written

    const secrets = {
      password: DEMO_USERS.alice.password,
      'wrong password': wrong,
      'access token': accessToken,
      'refresh token': refreshToken,
      'new access token': refreshed.data!.refreshSession.accessToken,
      'new refresh token': refreshed.data!.refreshSession.refreshToken,
      'gateway secret': TEST_GATEWAY_SECRET,
    };
    const everything = SERVICES.flatMap((service) => written[service]);
    expect(everything.length).toBeGreaterThan(20); // the most verbose level: there is something to look through
    for (const [what, secret] of Object.entries(secrets)) {
      expect(everything.filter((line) => line.includes(secret)), what).toEqual([]);
    }
  });
});
