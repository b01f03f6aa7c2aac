import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * A small, offline renderer for the subset of Kustomize that deploy/k8s uses. Own code because no
 * npm package renders Kustomize (it is Go; `kubectl kustomize` is not on every machine that runs
 * the tests). Supported, as kustomize v5 does them:
 * - `resources`: YAML files and folders holding a kustomization.yaml (rendered first);
 * - `namespace`: set on every namespaced object; a Namespace object keeps its own name;
 * - `labels` (`pairs`, `includeTemplates`; never selectors): added to `metadata.labels`, and to
 *   the pod template's labels with `includeTemplates`;
 * - `images` (`name`, `newName`, `newTag`, `digest`): container images by name;
 * - `patches` with `path` only: strategic merge, targeted by the patch's apiVersion, kind and name.
 *   Maps merge; `containers`, `initContainers`, `env` and `volumes` merge by `name`, `volumeMounts`
 *   by `mountPath` (the patch's items first, as kustomize orders them); every other list is replaced whole. No `$patch` directives.
 * Anything else in a kustomization fails loudly rather than being ignored.
 */
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

type Json = unknown;
type JsonMap = Record<string, Json>;

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);
/** Lists merged by a key instead of replaced (the keys Kubernetes declares for these fields). */
const MERGE_KEYS: Record<string, string> = { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath' };
/** Kinds without a namespace among those used here. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'IngressClass']);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet']);

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeTemplates?: boolean; includeSelectors?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  patches?: { path?: string; patch?: string; target?: unknown }[];
}

function isMap(value: Json): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every YAML document of a file, empty ones left out. */
export function readYamlDocuments(file: string): Json[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
      return document.toJS() as Json;
    })
    .filter((value) => value !== null && value !== undefined);
}

function objectId(object: JsonMap): string {
  const metadata = object.metadata as JsonMap | undefined;
  return `${String(object.apiVersion)} ${String(object.kind)} ${String(metadata?.name)}`;
}

/** Strategic merge of `patch` into `target` (a new value; neither argument is changed). */
export function strategicMerge(target: Json, patch: Json, field = ''): Json {
  if (isMap(target) && isMap(patch)) {
    const merged: JsonMap = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      merged[key] = value === null ? undefined : key in target ? strategicMerge(target[key], value, key) : structuredClone(value);
      if (merged[key] === undefined) delete merged[key];
    }
    return merged;
  }
  const mergeKey = MERGE_KEYS[field];
  if (mergeKey && Array.isArray(target) && Array.isArray(patch)) {
    // As kustomize orders them: the patch's items (merged into their namesakes) first, then the rest.
    const key = (item: Json) => (isMap(item) ? item[mergeKey] : undefined);
    const patched = patch.map((item) => {
      const existing = target.find((candidate) => key(candidate) !== undefined && key(candidate) === key(item));
      return existing === undefined ? structuredClone(item) : strategicMerge(existing, item, '');
    });
    return [...patched, ...target.filter((item) => !patch.some((other) => key(other) === key(item))).map((item) => structuredClone(item))];
  }
  return structuredClone(patch);
}

function setImages(object: JsonMap, images: NonNullable<Kustomization['images']>): void {
  const podSpec = ((object.spec as JsonMap | undefined)?.template as JsonMap | undefined)?.spec as JsonMap | undefined;
  if (!podSpec) return;
  for (const container of [...((podSpec.containers as JsonMap[] | undefined) ?? []), ...((podSpec.initContainers as JsonMap[] | undefined) ?? [])]) {
    const image = String(container.image);
    const name = image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
    const rule = images.find((candidate) => candidate.name === name);
    if (!rule) continue;
    const tag = rule.digest ? `@${rule.digest}` : rule.newTag ? `:${rule.newTag}` : image.slice(name.length);
    container.image = `${rule.newName ?? name}${tag}`;
  }
}

function addLabels(object: JsonMap, labels: NonNullable<Kustomization['labels']>): void {
  for (const { pairs, includeTemplates, includeSelectors } of labels) {
    if (includeSelectors) throw new Error('labels.includeSelectors is not supported: selectors are immutable, keep them as written');
    const metadata = object.metadata as JsonMap;
    metadata.labels = { ...(metadata.labels as JsonMap | undefined), ...pairs };
    const template = (object.spec as JsonMap | undefined)?.template as JsonMap | undefined;
    if (includeTemplates && template && WORKLOAD_KINDS.has(String(object.kind))) {
      const templateMetadata = (template.metadata ??= {}) as JsonMap;
      templateMetadata.labels = { ...(templateMetadata.labels as JsonMap | undefined), ...pairs };
    }
  }
}

/** Renders the kustomization in `dir` (a folder holding kustomization.yaml) to its objects, in order. */
export function renderKustomization(dir: string): KubeObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const kustomization = readYamlDocuments(file)[0] as Kustomization & JsonMap;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED_FIELDS.has(key));
  if (unsupported.length > 0) throw new Error(`${file}: not supported by this renderer: ${unsupported.join(', ')}`);

  let objects: JsonMap[] = [];
  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(dir, resource);
    if (statSync(target).isDirectory()) objects.push(...(renderKustomization(target) as JsonMap[]));
    else objects.push(...(readYamlDocuments(target) as JsonMap[]));
  }
  const ids = new Set<string>();
  for (const object of objects) {
    if (ids.has(objectId(object))) throw new Error(`${file}: ${objectId(object)} is defined twice`);
    ids.add(objectId(object));
  }

  for (const entry of kustomization.patches ?? []) {
    if (!entry.path || entry.patch || entry.target) throw new Error(`${file}: only patches with a path (strategic merge) are supported`);
    for (const patch of readYamlDocuments(path.resolve(dir, entry.path)) as JsonMap[]) {
      const index = objects.findIndex((object) => objectId(object) === objectId(patch));
      if (index === -1) throw new Error(`${entry.path}: the patch's target ${objectId(patch)} is not among the resources`);
      objects[index] = strategicMerge(objects[index], patch) as JsonMap;
    }
  }
  objects = objects.map((object) => structuredClone(object));
  for (const object of objects) {
    const metadata = object.metadata as JsonMap;
    if (kustomization.namespace && !CLUSTER_SCOPED.has(String(object.kind))) metadata.namespace = kustomization.namespace;
    if (kustomization.labels) addLabels(object, kustomization.labels);
    if (kustomization.images) setImages(object, kustomization.images);
  }
  return objects as KubeObject[];
}
