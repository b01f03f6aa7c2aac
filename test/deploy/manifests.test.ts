import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../utils/src/web-registry.js';
import { listMiniApps } from '../utils/src/web-build.js';
import { renderKustomization, type KubeObject } from './src/render-kustomization.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const K8S = path.join(ROOT, 'deploy/k8s');

/**
 * The kubernetes-models class that validates each kind we ship (its bundled JSON schemas, offline).
 * The schemas accept unknown fields, as the Kubernetes OpenAPI does without strict field validation.
 */
const MODELS: Record<string, () => Promise<{ validate(): void } & (new (data: object) => { validate(): void })>> = {
  'v1/Namespace': async () => (await import('kubernetes-models/v1/Namespace')).Namespace as never,
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap as never,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service as never,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment as never,
  'autoscaling/v2/HorizontalPodAutoscaler': async () => (await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler')).HorizontalPodAutoscaler as never,
  'policy/v1/PodDisruptionBudget': async () => (await import('kubernetes-models/policy/v1/PodDisruptionBudget')).PodDisruptionBudget as never,
  'networking.k8s.io/v1/Ingress': async () => (await import('kubernetes-models/networking.k8s.io/v1/Ingress')).Ingress as never,
};

/** Where each deployable reads its environment: every variable a manifest sets must be named there. */
const CONFIG_SOURCES: Record<string, string[]> = {
  gateway: ['gateway/src/config.ts', 'subgraphs/kit/src/metrics.ts'],
  accounts: ['subgraphs/kit/src/config.ts', 'subgraphs/kit/src/metrics.ts', 'subgraphs/accounts/src/config.ts'],
  comms: ['subgraphs/kit/src/config.ts', 'subgraphs/kit/src/metrics.ts'],
  media: ['subgraphs/kit/src/config.ts', 'subgraphs/kit/src/metrics.ts', 'subgraphs/media/src/config.ts'],
  commerce: ['subgraphs/kit/src/config.ts', 'subgraphs/kit/src/metrics.ts', 'subgraphs/commerce/src/config.ts'],
};
/** Read by the process but not through config.ts (set before @apollo/gateway loads: gateway/src/main.ts). */
const ALSO_READ: Record<string, string[]> = { gateway: ['APOLLO_TELEMETRY_DISABLED'] };

function knownVariables(deployable: string): Set<string> {
  const names = new Set(ALSO_READ[deployable] ?? []);
  for (const file of CONFIG_SOURCES[deployable] ?? []) {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    // Object keys of the zod schemas (`NAME: z...`) and reads (`env.NAME`).
    for (const match of source.matchAll(/\b([A-Z][A-Z0-9_]+)\??:\s|env\.([A-Z][A-Z0-9_]+)/g)) names.add(match[1] ?? match[2]!);
  }
  return names;
}

type Container = {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: unknown } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: number | string } };
  livenessProbe?: { httpGet?: { path: string; port: number | string } };
  startupProbe?: { httpGet?: { path: string; port: number | string } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
};
type DeploymentSpec = {
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: { containers: Container[]; terminationGracePeriodSeconds?: number; securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } } };
  };
};

const spec = <T>(object: KubeObject) => object.spec as T;
const named = (objects: KubeObject[], kind: string) => objects.filter((object) => object.kind === kind);
const configMapData = (objects: KubeObject[], name: string) => (named(objects, 'ConfigMap').find((object) => object.metadata.name === name)?.data ?? {}) as Record<string, string>;

for (const [label, dir] of [
  ['the base', 'base'],
  ['the production overlay', 'overlays/production'],
] as const) {
  describe(`deploy/k8s: ${label}`, () => {
    const objects = renderKustomization(path.join(K8S, dir));
    const deployments = named(objects, 'Deployment');

    it('renders, and every object is valid against the Kubernetes schema of its apiVersion and kind', async () => {
      expect(deployments.map((object) => object.metadata.name).sort()).toEqual(['accounts', 'commerce', 'comms', 'gateway', 'media', 'web']);
      for (const object of objects) {
        const model = MODELS[`${object.apiVersion}/${object.kind}`];
        expect(model, `a schema for ${object.apiVersion} ${object.kind}`).toBeDefined();
        const Model = await model!();
        expect(() => new Model(object).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
      }
    });

    it('gives every Deployment a Service that selects its pods, an HPA on it and a PDB over its pods', () => {
      for (const deployment of deployments) {
        const { selector, template } = spec<DeploymentSpec>(deployment);
        const matches = (labels: Record<string, string>) => Object.entries(labels).every(([key, value]) => template.metadata.labels[key] === value);
        expect(Object.entries(selector.matchLabels).every(([key, value]) => template.metadata.labels[key] === value)).toBe(true);
        const service = named(objects, 'Service').find((object) => object.metadata.name === deployment.metadata.name);
        expect(service && matches(spec<{ selector: Record<string, string> }>(service).selector), `Service ${deployment.metadata.name}`).toBe(true);
        const hpa = named(objects, 'HorizontalPodAutoscaler').find((object) => spec<{ scaleTargetRef: { kind: string; name: string } }>(object).scaleTargetRef.name === deployment.metadata.name);
        expect(hpa, `HPA for ${deployment.metadata.name}`).toBeDefined();
        // At least two pods, so that a drain or a rollout never takes a deployable away; the
        // Deployment's replicas equal the HPA's floor, so that applying the manifests does not shrink it.
        expect(spec<{ minReplicas: number }>(hpa!).minReplicas).toBeGreaterThanOrEqual(2);
        expect(spec<{ minReplicas: number; maxReplicas: number }>(hpa!).maxReplicas).toBeGreaterThanOrEqual(spec<{ minReplicas: number }>(hpa!).minReplicas);
        expect(spec<{ replicas: number }>(deployment).replicas, `${deployment.metadata.name}: replicas`).toBe(spec<{ minReplicas: number }>(hpa!).minReplicas);
        const pdb = named(objects, 'PodDisruptionBudget').find((object) => matches(spec<{ selector: { matchLabels: Record<string, string> } }>(object).selector.matchLabels));
        expect(pdb, `PDB for ${deployment.metadata.name}`).toBeDefined();
      }
    });

    it('probes readiness on /readyz and liveness on /healthz of the container port (the web: /healthz both)', () => {
      for (const deployment of deployments) {
        for (const container of spec<DeploymentSpec>(deployment).template.spec.containers) {
          const ports = new Set((container.ports ?? []).flatMap((port) => [port.containerPort, port.name]));
          const web = deployment.metadata.name === 'web';
          expect(container.readinessProbe?.httpGet?.path).toBe(web ? '/healthz' : '/readyz');
          expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
          for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe].filter(Boolean)) {
            expect(ports.has(probe!.httpGet!.port), `${container.name}: probe port ${probe!.httpGet!.port}`).toBe(true);
          }
          if (!web) expect(container.startupProbe?.httpGet?.path).toBe('/healthz');
        }
      }
    });

    it('runs every container as non-root, read-only, without capabilities, with resources, and drains before it is killed', () => {
      const shutdownMs = Number(configMapData(objects, 'mega-common').SHUTDOWN_TIMEOUT_MS);
      expect(shutdownMs).toBeGreaterThan(0);
      for (const deployment of deployments) {
        const podSpec = spec<DeploymentSpec>(deployment).template.spec;
        expect(podSpec.securityContext?.runAsNonRoot).toBe(true);
        expect(podSpec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
        expect((podSpec.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(shutdownMs + 5000);
        for (const container of podSpec.containers) {
          expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
          expect(container.resources?.requests?.cpu && container.resources.requests.memory && container.resources.limits?.memory).toBeTruthy();
        }
      }
    });

    it('sets only variables that the deployable reads, and secrets only by reference', () => {
      expect(named(objects, 'Secret')).toEqual([]);
      for (const deployment of deployments.filter((object) => object.metadata.name !== 'web')) {
        const known = knownVariables(deployment.metadata.name);
        for (const container of spec<DeploymentSpec>(deployment).template.spec.containers) {
          const names = (container.env ?? []).map((variable) => variable.name);
          for (const source of container.envFrom ?? []) {
            expect(source.secretRef, 'secrets by key (secretKeyRef), not whole').toBeUndefined();
            const data = configMapData(objects, source.configMapRef!.name);
            expect(Object.keys(data).length, `ConfigMap ${source.configMapRef!.name}`).toBeGreaterThan(0);
            names.push(...Object.keys(data));
          }
          expect(names.filter((name) => !known.has(name)), `${deployment.metadata.name}: variables its config does not read`).toEqual([]);
          for (const variable of container.env ?? []) {
            if (/SECRET|TOKEN|DATABASE_URL|REDIS_URL|KEY/.test(variable.name)) expect(variable.valueFrom?.secretKeyRef?.name, variable.name).toBe('mega-secrets');
          }
        }
      }
    });

    it('serves one host: the ingress, the shell\'s config.json, the registry and media\'s public URL agree, and the registry matches the mini-apps', () => {
      const ingresses = named(objects, 'Ingress');
      const hosts = new Set(ingresses.flatMap((ingress) => spec<{ rules: { host: string }[] }>(ingress).rules.map((rule) => rule.host)));
      expect(hosts.size).toBe(1);
      const [host] = [...hosts];
      for (const ingress of ingresses) expect(spec<{ tls: { hosts: string[]; secretName: string }[] }>(ingress).tls).toEqual([{ hosts: [host], secretName: 'mega-tls' }]);
      const gateway = ingresses.find((ingress) => ingress.metadata.name === 'gateway')!;
      expect(gateway.metadata).toMatchObject({
        annotations: { 'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600', 'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600', 'nginx.ingress.kubernetes.io/proxy-buffering': 'off' },
      });
      const web = configMapData(objects, 'mega-web');
      expect(JSON.parse(web['config.json']!)).toEqual({ gatewayUrl: `https://${host}/graphql`, registryUrl: '/registry.json' });
      expect(configMapData(objects, 'mega-media').MEDIA_PUBLIC_URL).toBe(`https://${host}`);
      const expected = createRegistry(listMiniApps().map((pkg) => ({ miniApp: pkg.miniApp, manifestUrl: `https://${host}/apps/${path.basename(pkg.dir)}/mf-manifest.json` })));
      expect(JSON.parse(web['registry.json']!)).toEqual(expected);
    });
  });
}

describe('deploy/k8s/secrets.example.yaml', () => {
  it('names every key the manifests read from mega-secrets, and is not part of any kustomization', () => {
    const example = readFileSync(path.join(K8S, 'secrets.example.yaml'), 'utf8');
    const keys = new Set<string>();
    for (const deployment of named(renderKustomization(path.join(K8S, 'overlays/production')), 'Deployment')) {
      for (const container of spec<DeploymentSpec>(deployment).template.spec.containers) {
        for (const variable of container.env ?? []) if (variable.valueFrom?.secretKeyRef) keys.add(variable.valueFrom.secretKeyRef.key);
      }
    }
    for (const key of keys) expect(example, key).toMatch(new RegExp(`^\\s+${key}:`, 'm'));
    for (const dir of ['base', 'overlays/production']) expect(readFileSync(path.join(K8S, dir, 'kustomization.yaml'), 'utf8')).not.toMatch(/^\s*-\s*\S*secrets\.example/m);
  });
});
