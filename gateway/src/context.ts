/** What every operation carries through the gateway: set at the edge, signed to every subgraph. */
export interface GatewayContext {
  /** Generated for each incoming request; returned as `x-request-id` and sent to the subgraphs. */
  requestId: string;
  /** The verified access token's subject, or null for an anonymous request. */
  userId: string | null;
  /** The client's address (the socket's peer); sent to subgraphs for rate limits and login throttling. */
  clientIp: string;
}
