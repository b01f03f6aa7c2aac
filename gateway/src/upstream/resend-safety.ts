import { Kind, parse, type ArgumentNode, type ValueNode } from 'graphql';

/**
 * Whether a subgraph request that may have reached its subgraph can be sent again to another
 * instance without doing its effect twice. Queries (entity fetches included) can. A mutation can
 * when every one of its root fields carries a non-empty `clientMutationId` (as an argument, or
 * as a field of an input object): the subgraphs store the first result per (user,
 * clientMutationId) in the same transaction as the effect (`runOnce` in @mega/subgraph-kit) and
 * answer a repeat with it. Anything unreadable: no.
 */
export function mayResend(body: string | undefined): boolean {
  if (!body) return false;
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return false;
  }
  if (typeof request.query !== 'string') return false;
  if (!/^\s*mutation\b/.test(request.query)) return /^\s*(query\b|\{)/.test(request.query);
  const variables = (request.variables ?? {}) as Record<string, unknown>;
  try {
    const document = parse(request.query, { noLocation: true });
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    return operations.every((operation) =>
      operation.selectionSet.selections.every((field) => field.kind === Kind.FIELD && (field.arguments ?? []).some((argument) => carriesId(argument, variables))),
    );
  } catch {
    return false;
  }
}

function carriesId(argument: ArgumentNode, variables: Record<string, unknown>): boolean {
  if (argument.name.value === 'clientMutationId') return nonEmpty(valueOf(argument.value, variables));
  const value = valueOf(argument.value, variables);
  return typeof value === 'object' && value !== null && nonEmpty((value as Record<string, unknown>).clientMutationId);
}

/** A literal or variable value as JSON (input objects with their variable fields resolved). */
function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.STRING:
      return node.value;
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, valueOf(field.value, variables)]));
    default:
      return undefined;
  }
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}
