import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorConfig, GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  TypeInfo,
  validate,
  ValidationContext,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ParseOptions,
  type Source,
  type ValidationRule,
} from 'graphql';
import type { GatewayPlugin } from './plugin.js';

/**
 * Limits on every operation, tight enough for the app's own operations (the whole test suite
 * passes with them) and far below what an abusive document needs.
 */
export const DEFAULT_OPERATION_LIMITS = {
  /** Nesting of fields (fragments counted where spread). */
  maxDepth: 12,
  /** Aliased fields in one operation (`__typename` aliases not counted). */
  maxAliases: 15,
  /** Directives in one operation. */
  maxDirectives: 10,
  /** Lexical tokens in one document; the parser stops at the first one over (before any AST is built). */
  maxTokens: 3000,
  /**
   * graphql-armor's cost: a scalar costs 1, an object 2, each level multiplies by 1.5, and a
   * literal `first`/`last` argument multiplies its subtree by its value (at most `maxPageSize`).
   * The largest operation in the tests (pages of 100 in several connections) costs about 8900.
   */
  maxCost: 10000,
} as const;

/**
 * The largest page the subgraphs serve (`first`/`last` above it are refused with BAD_USER_INPUT
 * naming the argument), so the cost limit counts no page as larger. @default 100
 */
export const DEFAULT_MAX_PAGE_SIZE = 100;

/** Which limit an operation broke: `extensions.limit` of the GRAPHQL_VALIDATION_FAILED / GRAPHQL_PARSE_FAILED error. */
export type OperationLimitName = keyof typeof DEFAULT_OPERATION_LIMITS;

export interface ArmorOptions {
  /** @default DEFAULT_OPERATION_LIMITS.maxDepth (12); false: no limit */
  maxDepth?: number | false;
  /** @default DEFAULT_OPERATION_LIMITS.maxAliases (15); false: no limit */
  maxAliases?: number | false;
  /** @default DEFAULT_OPERATION_LIMITS.maxDirectives (10); false: no limit */
  maxDirectives?: number | false;
  /** @default DEFAULT_OPERATION_LIMITS.maxTokens (3000); false: no limit */
  maxTokens?: number | false;
  /** @default DEFAULT_OPERATION_LIMITS.maxCost (10000); false: no limit */
  maxCost?: number | false;
  /** The page size the cost limit assumes at most for `first`/`last`. @default DEFAULT_MAX_PAGE_SIZE */
  maxPageSize?: number;
  /** Remove field/argument/type/enum suggestions ("Did you mean ...?") from every error message. @default true */
  blockFieldSuggestions?: boolean;
}

/**
 * The operation limits as something any transport can apply. The HTTP endpoint uses them through
 * `useArmor`; the WebSocket (graphql-ws) server must apply the same ones to each `subscribe`
 * message: parse with `limits.parse(query)` (or `parse(query, limits.parseOptions)`), validate
 * with `limits.validate(schema, document)` (graphql-js's rules plus `limits.validationRules`),
 * refuse on any error, and pass every error message through `withoutSuggestions`.
 */
export interface OperationLimits {
  /** The limits in force (false: that limit is off). */
  readonly limits: { readonly [name in OperationLimitName]: number | false };
  /** graphql-js parse options: `maxTokens`. */
  readonly parseOptions: ParseOptions;
  /** graphql-armor's depth, alias, directive and cost rules; each reports a `GRAPHQL_VALIDATION_FAILED` error with `extensions.limit`. */
  readonly validationRules: readonly ValidationRule[];
  /**
   * Parses with the token limit.
   * @throws GraphQLError (a syntax error, or "Document contains more than N tokens") with `extensions.code` GRAPHQL_PARSE_FAILED
   */
  parse(source: string | Source): DocumentNode;
  /** graphql-js's validation plus the limits, as `GRAPHQL_VALIDATION_FAILED` errors without suggestions. Empty: the operation may run. */
  validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[];
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;
/** graphql-js 16 says "more that N tokens". */
const TOO_MANY_TOKENS = /Document contains more tha[nt] (\d+) tokens/;

/** `message` without "Did you mean ...?" suggestions (which would reveal fields, arguments, types and enum values). */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

function limitExceeded(limit: OperationLimitName, max: number): GraphQLArmorRejectCallback {
  return (context, error) => {
    context?.reportError(
      new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, max },
      }),
    );
  };
}

const PAGE_ARGUMENTS = new Set(['first', 'last']);

/** `document` with every literal `first`/`last` above `maxPageSize` lowered to it, or `document` itself when none is. */
function withPageSizeCap(document: DocumentNode, maxPageSize: number): DocumentNode {
  const tooLarge = (node: ArgumentNode) =>
    PAGE_ARGUMENTS.has(node.name.value) && node.value.kind === Kind.INT && Number(node.value.value) > maxPageSize;
  let capped = false;
  const result = visit(document, {
    Argument(node) {
      if (!tooLarge(node)) return undefined;
      capped = true;
      return { ...node, value: { kind: Kind.INT, value: String(maxPageSize) } };
    },
  });
  return capped ? result : document;
}

/**
 * armor's cost rule run on the operation with pages capped at `maxPageSize`: a page larger than
 * the subgraphs serve then gets their precise BAD_USER_INPUT (naming the argument) rather than a
 * cost error, and a literal page costs what a page of the same size in a variable costs at most.
 */
function costRuleWithPageSizeCap(rule: ValidationRule, maxPageSize: number): ValidationRule {
  return (context) => {
    const document = withPageSizeCap(context.getDocument(), maxPageSize);
    if (document === context.getDocument()) return rule(context);
    const schema = context.getSchema();
    const cappedContext = new ValidationContext(schema, document, new TypeInfo(schema), (error) => context.reportError(error));
    const visitor = rule(cappedContext);
    return {
      Document: {
        enter() {
          visit(document, visitor);
        },
      },
    };
  };
}

/** Every armor protection off: each rule below turns on exactly one. */
const ALL_OFF: GraphQLArmorConfig = {
  maxDepth: { enabled: false },
  maxAliases: { enabled: false },
  maxDirectives: { enabled: false },
  costLimit: { enabled: false },
  // Tokens: graphql-js's own parser limit (`parseOptions`). Suggestions: `withoutSuggestions` on every error.
  maxTokens: { enabled: false },
  blockFieldSuggestion: { enabled: false },
};

/** The one validation rule of an ApolloArmor with only `config` on. */
function armorRule(config: GraphQLArmorConfig): ValidationRule {
  const [rule] = new ApolloArmor({ ...ALL_OFF, ...config }).protect().validationRules;
  if (!rule) throw new Error(`graphql-armor gave no rule for ${Object.keys(config).join(', ')}`);
  return rule;
}

function armorRules(limits: OperationLimits['limits'], maxPageSize: number): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  const { maxDepth, maxAliases, maxDirectives, maxCost } = limits;
  const rules: ValidationRule[] = [];
  if (maxDepth !== false) rules.push(armorRule({ maxDepth: { ...common, n: maxDepth, onReject: [limitExceeded('maxDepth', maxDepth)] } }));
  if (maxAliases !== false) rules.push(armorRule({ maxAliases: { ...common, n: maxAliases, onReject: [limitExceeded('maxAliases', maxAliases)] } }));
  if (maxDirectives !== false) {
    rules.push(armorRule({ maxDirectives: { ...common, n: maxDirectives, onReject: [limitExceeded('maxDirectives', maxDirectives)] } }));
  }
  if (maxCost !== false) {
    const cost = armorRule({ costLimit: { ...common, maxCost, onReject: [limitExceeded('maxCost', maxCost)] } });
    rules.push(costRuleWithPageSizeCap(cost, maxPageSize));
  }
  return rules;
}

/** Builds the operation limits (see `OperationLimits`); `useArmor` and the WebSocket server share one. */
export function createOperationLimits(options: ArmorOptions = {}): OperationLimits {
  const limits = {
    maxDepth: options.maxDepth ?? DEFAULT_OPERATION_LIMITS.maxDepth,
    maxAliases: options.maxAliases ?? DEFAULT_OPERATION_LIMITS.maxAliases,
    maxDirectives: options.maxDirectives ?? DEFAULT_OPERATION_LIMITS.maxDirectives,
    maxTokens: options.maxTokens ?? DEFAULT_OPERATION_LIMITS.maxTokens,
    maxCost: options.maxCost ?? DEFAULT_OPERATION_LIMITS.maxCost,
  };
  const parseOptions: ParseOptions = limits.maxTokens === false ? {} : { maxTokens: limits.maxTokens };
  const validationRules = armorRules(limits, options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE);
  return {
    limits,
    parseOptions,
    validationRules,
    parse(source) {
      try {
        return parse(source, parseOptions);
      } catch (error) {
        const syntax = error instanceof GraphQLError ? error : new GraphQLError(String(error));
        const tokens = TOO_MANY_TOKENS.exec(syntax.message);
        throw new GraphQLError(syntax.message, {
          ...(syntax.source ? { source: syntax.source } : {}),
          ...(syntax.positions ? { positions: syntax.positions } : {}),
          extensions: { code: 'GRAPHQL_PARSE_FAILED', ...(tokens ? { limit: 'maxTokens', max: Number(tokens[1]) } : {}) },
        });
      }
    },
    validate(schema, document) {
      return validate(schema, document, [...specifiedRules, ...validationRules], { hideSuggestions: true }).map(
        (error) =>
          new GraphQLError(withoutSuggestions(error.message), {
            nodes: error.nodes,
            originalError: error.originalError,
            extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
      );
    },
  };
}

function withoutSuggestionsIn(error: GraphQLFormattedError): GraphQLFormattedError {
  const message = withoutSuggestions(error.message);
  return message === error.message ? error : { ...error, message };
}

function withTokenLimit(error: GraphQLFormattedError): GraphQLFormattedError {
  if (error.extensions?.code !== 'GRAPHQL_PARSE_FAILED') return error;
  const tokens = TOO_MANY_TOKENS.exec(error.message);
  return tokens ? { ...error, extensions: { ...error.extensions, limit: 'maxTokens', max: Number(tokens[1]) } } : error;
}

/**
 * GraphQL hardening with graphql-armor: depth, aliases, directives and cost are validation rules
 * (an operation over a limit gets 400 `GRAPHQL_VALIDATION_FAILED` with `extensions.limit` and
 * `extensions.max`); the token limit stops the parser (400 `GRAPHQL_PARSE_FAILED`, `limit:
 * 'maxTokens'`); circular fragments are refused by graphql-js's NoFragmentCycles rule (the armor
 * rules stop at a fragment they are already inside). Suggestions are removed from every error
 * message, Apollo Server's own validation errors included.
 *
 * The returned plugin's `limits` are the same limits for the WebSocket server (see `OperationLimits`).
 */
export function useArmor(options: ArmorOptions = {}): GatewayPlugin & { readonly limits: OperationLimits } {
  const limits = createOperationLimits(options);
  const blockSuggestions = options.blockFieldSuggestions ?? true;
  return {
    name: 'armor',
    limits,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError(formatted) {
      const tagged = limits.limits.maxTokens === false ? formatted : withTokenLimit(formatted);
      return blockSuggestions ? withoutSuggestionsIn(tagged) : tagged;
    },
  };
}
