import { GatewayErrorCode, GatewayHttpError } from '../errors.js';

/** The GraphQL over HTTP response media type: request errors get a 4xx status with it. */
export const GRAPHQL_RESPONSE_MEDIA_TYPE = 'application/graphql-response+json';
/** The legacy response media type, the default when `Accept` is absent or says `*\/*`. */
export const JSON_MEDIA_TYPE = 'application/json';
export type ResponseMediaType = typeof GRAPHQL_RESPONSE_MEDIA_TYPE | typeof JSON_MEDIA_TYPE;

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part, order) => {
      const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim());
      const [type = '', subtype = ''] = range.toLowerCase().split('/');
      const qParameter = parameters.find((parameter) => /^q=/i.test(parameter));
      const q = qParameter ? Number(qParameter.slice(2)) : 1;
      return { type, subtype, q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((range) => range.type !== '' && range.subtype !== '');
}

/** The quality and position of the most specific range of `ranges` that matches `mediaType`, or undefined. */
function match(ranges: MediaRange[], mediaType: string): { q: number; order: number } | undefined {
  const [type, subtype] = mediaType.split('/');
  let best: { range: MediaRange; specificity: number } | undefined;
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1;
    if (specificity >= 0 && (!best || specificity > best.specificity)) best = { range, specificity };
  }
  return best && { q: best.range.q, order: best.range.order };
}

/**
 * The media type of the response to a request with this `Accept` header (content negotiation as
 * the GraphQL over HTTP specification describes it): the acceptable one with the highest
 * quality, the one listed first on a tie; `application/json` when the header is absent.
 * @returns null when neither type is acceptable (the gateway answers 406)
 */
export function responseMediaType(accept: string | undefined): ResponseMediaType | null {
  if (accept === undefined || accept.trim() === '') return JSON_MEDIA_TYPE;
  const ranges = parseAccept(accept);
  const candidates = ([GRAPHQL_RESPONSE_MEDIA_TYPE, JSON_MEDIA_TYPE] as const)
    .map((mediaType) => ({ mediaType, ...match(ranges, mediaType) }))
    .filter((candidate): candidate is { mediaType: ResponseMediaType; q: number; order: number } => (candidate.q ?? 0) > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order || (a.mediaType === JSON_MEDIA_TYPE ? -1 : 1));
  return candidates[0]?.mediaType ?? null;
}

/** 406 `NOT_ACCEPTABLE`: the client accepts no media type the gateway answers with. */
export function notAcceptable(): GatewayHttpError {
  return new GatewayHttpError(
    406,
    GatewayErrorCode.NOT_ACCEPTABLE,
    `Accept ${GRAPHQL_RESPONSE_MEDIA_TYPE} or ${JSON_MEDIA_TYPE}; the gateway answers with nothing else.`,
  );
}
