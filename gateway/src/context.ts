/** What every operation carries through the gateway: set at the edge, signed to every subgraph. */
export interface GatewayContext {
  /** Generated for each incoming request; returned as `x-request-id` and sent to the subgraphs. */
  requestId: string;
  /** The verified access token's subject, or null for an anonymous request. */
  userId: string | null;
  /**
   * The client's address: the socket's peer, or the `X-Forwarded-For` entry of the outermost trusted
   * proxy (`trustProxy`). Counted by the gateway's rate limits; signed to the subgraphs (login throttling).
   */
  clientIp: string;
}
