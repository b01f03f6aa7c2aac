import { useGraphiQL, useGraphiQLActions, type GraphiQLPlugin } from '@graphiql/react';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { exampleDomains, type DemoIds } from './examples';

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M5 4h10l4 4v12H5z M15 4v4h4 M8 12h8 M8 16h6" />
    </svg>
  );
}

/**
 * The Examples panel: each domain's operations; choosing one puts it and its variables in the
 * editors (made afresh, so a mutation gets a new `clientMutationId` each time).
 */
export function createExamplesPlugin(ids: DemoIds): GraphiQLPlugin {
  const domains = exampleDomains(ids);
  function ExamplesPanel() {
    const queryEditor = useGraphiQL((state) => state.queryEditor);
    const variableEditor = useGraphiQL((state) => state.variableEditor);
    const { setOperationFacts } = useGraphiQLActions();
    // The editors are made a moment after the panel: until then a choice would change nothing (and
    // Run would send the tab's own document), so the examples wait for them.
    const ready = queryEditor !== undefined && queryEditor !== null && variableEditor !== undefined && variableEditor !== null;
    const open = (domainIndex: number, operationIndex: number) => {
      if (!queryEditor || !variableEditor) return;
      const operation = exampleDomains(ids)[domainIndex]!.operations[operationIndex]!;
      queryEditor.setValue(operation.query);
      variableEditor.setValue(operation.variables);
      // GraphiQL reads the operations from the editor a moment later; until then Run would still
      // send the previous operation's name (and a subscription over HTTP): tell it now.
      const documentAST = parse(operation.query);
      const operations = documentAST.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
      setOperationFacts({ documentAST, operations, ...(operations[0]?.name ? { operationName: operations[0].name.value } : {}) });
    };
    return (
      <section className="playground-examples" aria-label="Examples">
        <div className="graphiql-doc-explorer-title">Examples</div>
        {domains.map((domain, domainIndex) => (
          <div key={domain.domain}>
            <h3>{domain.domain}</h3>
            {domain.operations.map((operation, operationIndex) => (
              <button key={operation.title} type="button" disabled={!ready} onClick={() => open(domainIndex, operationIndex)}>
                {operation.kind}: {operation.title}
              </button>
            ))}
          </div>
        ))}
      </section>
    );
  }
  return { title: 'Examples', icon: ExamplesIcon, content: ExamplesPanel };
}
