import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { useEffect, useMemo } from 'react';
import { createExamplesPlugin } from './examples-plugin';
import { exampleDomains, type DemoIds } from './examples';
import { createPlaygroundFetcher } from './graphql-fetcher';
import type { PlaygroundUser } from './sign-in';

interface PlaygroundIdeProps {
  user: PlaygroundUser | undefined;
  demoIds: DemoIds;
}

/** GraphiQL on the gateway's /graphql: docs and schema explorer, history, and the Examples panel (open at first). */
export default function PlaygroundIde({ user, demoIds }: PlaygroundIdeProps) {
  const { fetcher, dispose } = useMemo(() => createPlaygroundFetcher(user?.accessToken), [user?.accessToken]);
  useEffect(() => dispose, [dispose]);
  const domains = useMemo(() => exampleDomains(demoIds), [demoIds]);
  const examples = useMemo(() => createExamplesPlugin(demoIds), [demoIds]);
  // One tab per domain, its operations in one document (GraphiQL asks which one to run).
  const defaultTabs = useMemo(
    () => domains.map((domain) => ({ query: `# ${domain.domain}\n${domain.operations.map((operation) => operation.query).join('\n')}`, variables: domain.operations.find((operation) => operation.variables !== '{}')?.variables ?? '{}' })),
    [domains],
  );
  return (
    <div className="playground-ide">
      <GraphiQL fetcher={fetcher} plugins={[examples]} visiblePlugin={examples} defaultTabs={defaultTabs} shouldPersistHeaders={false} />
    </div>
  );
}
