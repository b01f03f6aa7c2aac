import { describe, expect, it } from 'vitest';
import { InFlightFetches, isShareableQuery } from '../upstream/in-flight-fetches.js';

const body = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

/** A subgraph that answers each request after the test lets it, counting what it was sent. */
function slowSubgraph() {
  const sent: string[] = [];
  const waiting: (() => void)[] = [];
  const send = (label: string) => () => {
    sent.push(label);
    return new Promise<{ ok: boolean; status: number; statusText: string; url: string; headers: Headers; text: () => Promise<string> }>((resolve) =>
      waiting.push(() =>
        resolve({ ok: true, status: 200, statusText: 'OK', url: 'http://subgraph/graphql', headers: new Headers({ 'content-type': 'application/json' }), text: async () => `{"data":{"label":"${label}"}}` }),
      ),
    );
  };
  const answerAll = () => waiting.splice(0).forEach((answer) => answer());
  return { sent, send, answerAll };
}

describe('in-flight deduplication of subgraph queries', () => {
  it('shares queries and entity fetches, never mutations or unreadable bodies', () => {
    expect(isShareableQuery(body('query Home__accounts__0{me{id}}'))).toBe(true);
    expect(isShareableQuery(body('{me{id}}'))).toBe(true);
    expect(isShareableQuery(body('query($representations:[_Any!]!){_entities(representations:$representations){...on User{name}}}', { representations: [] }))).toBe(true);
    expect(isShareableQuery(body('mutation{logOut(refreshToken:"x")}'))).toBe(false);
    expect(isShareableQuery(body('mutation Send__comms__0($input:SendMessageInput!){sendMessage(input:$input){seq}}'))).toBe(false);
    expect(isShareableQuery(body('subscription{typing(conversationId:"1"){userId}}'))).toBe(false);
    expect(isShareableQuery(JSON.stringify({ variables: {}, query: '{me{id}}' }))).toBe(false);
    expect(isShareableQuery(undefined)).toBe(false);
  });

  it('sends identical queries of the same user once while the first is in flight, and gives each its own parsed copy', async () => {
    const subgraph = slowSubgraph();
    const inFlight = new InFlightFetches();
    const query = body('{me{id}}');
    const first = inFlight.fetch('http://subgraph/graphql', query, 'alice\n127.0.0.1', subgraph.send('first'));
    const second = inFlight.fetch('http://subgraph/graphql', query, 'alice\n127.0.0.1', subgraph.send('second'));
    expect(subgraph.sent).toEqual(['first']);
    subgraph.answerAll();
    const [a, b] = await Promise.all([(await first).json(), (await second).json()]);
    expect(a).toEqual({ data: { label: 'first' } });
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    expect(inFlight.size).toBe(0);

    // Once answered, nothing is kept: the next identical query goes out again.
    const third = inFlight.fetch('http://subgraph/graphql', query, 'alice\n127.0.0.1', subgraph.send('third'));
    subgraph.answerAll();
    expect(await (await third).json()).toEqual({ data: { label: 'third' } });
    expect(subgraph.sent).toEqual(['first', 'third']);
  });

  it('never shares between users, client addresses, subgraphs or different bodies, nor mutations', async () => {
    const subgraph = slowSubgraph();
    const inFlight = new InFlightFetches();
    const query = body('{me{id}}');
    const mutation = body('mutation{markRead(conversationId:"1",seq:2)}');
    const answers = [
      inFlight.fetch('http://subgraph/graphql', query, 'alice\n127.0.0.1', subgraph.send('alice')),
      inFlight.fetch('http://subgraph/graphql', query, 'bob\n127.0.0.1', subgraph.send('bob')),
      inFlight.fetch('http://subgraph/graphql', query, '\n127.0.0.1', subgraph.send('anonymous')),
      inFlight.fetch('http://subgraph/graphql', query, 'alice\n10.0.0.2', subgraph.send('other address')),
      inFlight.fetch('http://other/graphql', query, 'alice\n127.0.0.1', subgraph.send('other subgraph')),
      inFlight.fetch('http://subgraph/graphql', body('{me{handle}}'), 'alice\n127.0.0.1', subgraph.send('other body')),
      inFlight.fetch('http://subgraph/graphql', mutation, 'alice\n127.0.0.1', subgraph.send('mutation 1')),
      inFlight.fetch('http://subgraph/graphql', mutation, 'alice\n127.0.0.1', subgraph.send('mutation 2')),
    ];
    expect(subgraph.sent).toEqual(['alice', 'bob', 'anonymous', 'other address', 'other subgraph', 'other body', 'mutation 1', 'mutation 2']);
    subgraph.answerAll();
    const labels = await Promise.all(answers.map(async (answer) => ((await (await answer).json()) as { data: { label: string } }).data.label));
    expect(labels).toEqual(subgraph.sent);
  });

  it('gives every waiter the failure when the shared request fails, and sends again afterwards', async () => {
    const inFlight = new InFlightFetches();
    const query = body('{me{id}}');
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new TypeError('fetch failed'));
    };
    const results = await Promise.allSettled([inFlight.fetch('http://s/graphql', query, 'a', failing), inFlight.fetch('http://s/graphql', query, 'a', failing)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await inFlight.fetch('http://s/graphql', query, 'a', failing).catch(() => undefined);
    expect(calls).toBe(2);
  });
});
