export { createPgliteDatabase, createPostgresDatabase, DATABASE_DRIVERS, TEST_POSTGRES_ADMIN_URL, type TestDatabase } from './databases.js';
export { postGraphQL, querySubgraph, TEST_GATEWAY_SECRET, type GraphQLResponse } from './signed-fetch.js';
export { accessTokenFor, queryAs, type Credentials } from './gateway-as-user.js';
export { freePort, freePorts } from './ports.js';
export { httpsRequest, type HttpsRequestOptions, type HttpsResponse } from './https-request.js';
export {
  createCertificateAuthority,
  DEFAULT_CA_VALIDITY_DAYS,
  DEFAULT_CERTIFICATE_VALIDITY_DAYS,
  DEFAULT_RENEW_WITHIN_DAYS,
  ensureLocalCertificates,
  issueCertificate,
  LOCAL_HOSTS,
  localCertificateFiles,
  type CertificateAuthorityOptions,
  type EnsureLocalCertificatesOptions,
  type IssueCertificateOptions,
  type LocalCertificateFiles,
  type LocalCertificates,
  type PemCertificate,
} from './local-ca.js';
export { buildServices, bundlePath } from './build.js';
export { DEFAULT_STACK_PORTS, REPO_ROOT, SERVICES, SUBGRAPHS, type ServiceName } from './services.js';
export { startStack, type Stack, type StackOptions } from './stack.js';
export { DEFAULT_CLUSTER_PORTS, dropDatabases, ensureDatabases, queryDatabase, startCluster, type Cluster, type ClusterOptions, type ClusterProcess } from './cluster.js';
export { startLoadBalancer, type LoadBalancer, type LoadBalancerOptions } from './load-balancer.js';
export { startFederation, type Federation, type FederationOptions } from './federation.js';
export { DEMO_USERS } from '@mega/subgraph-kit/demo';
export { signIdentity } from '@mega/subgraph-kit/identity';
export { eventually } from './eventually.js';
export { parsePrometheusText, scrapeMetrics, type MetricSample, type Scrape } from './prometheus.js';
export { subscribeThroughGateway, type GatewaySubscription } from './gateway-subscription.js';
export { CHROMIUM_LAUNCH_OPTIONS, launchChromium } from './chromium.js';
export { serveStatic, type StaticServer, type StaticServerOptions } from './static-server.js';
export { buildWebApp, buildWebApps, hashWebApp, listMiniApps, SHELL_DIR, WEB_BUILD_CACHE_DIR, type BuildWebAppsOptions, type WebBuild } from './web-build.js';
export { createRegistry, type ServedMiniApp } from './web-registry.js';
export { startWeb, type Web, type WebOptions } from './web.js';
export { serveWebApps, type MiniAppToServe, type ServeWebAppsOptions, type WebRemote, type WebServers } from './web-servers.js';
export { startMiniAppDevServer, type MiniAppDevServer } from './dev-server.js';
