import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderKustomization, strategicMerge } from './src/render-kustomization.js';

// Each expectation here was checked against `kubectl kustomize` (kustomize v5.5) on the same input.
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: mega/api
          args: [a, b]
          env:
            - { name: A, value: "1" }
            - { name: B, value: "2" }
        - name: sidecar
          image: other/sidecar:1
`;

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kustomize-'));
  dirs.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('renderKustomization', () => {
  it('applies an overlay: namespace, labels on objects and pod templates, images, and a strategic-merge patch', () => {
    const root = tree({
      'base/kustomization.yaml': 'resources: [deployment.yaml]\nnamespace: shop\n',
      'base/deployment.yaml': DEPLOYMENT,
      'prod/kustomization.yaml': [
        'resources: [../base]',
        'labels:',
        '  - pairs: { tier: prod }',
        '    includeTemplates: true',
        'images:',
        '  - { name: mega/api, newName: registry.example.com/api, newTag: "2.0" }',
        'patches:',
        '  - path: patch.yaml',
      ].join('\n'),
      'prod/patch.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: api }',
        'spec:',
        '  replicas: 3',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: api',
        '          args: [c]',
        '          env:',
        '            - { name: B, value: "20" }',
        '            - { name: C, value: "3" }',
      ].join('\n'),
    });
    type Rendered = {
      metadata: object;
      spec: { replicas: number; selector: object; template: { metadata: { labels: object }; spec: { containers: { image: string; args?: string[]; env?: object[] }[] } } };
    };
    const [deployment] = renderKustomization(path.join(root, 'prod')) as unknown as [Rendered];
    expect(deployment.metadata).toEqual({ name: 'api', namespace: 'shop', labels: { tier: 'prod' } });
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'api', tier: 'prod' });
    const [api, sidecar] = deployment.spec.template.spec.containers as [{ image: string; args?: string[]; env?: object[] }, object];
    expect(api.image).toBe('registry.example.com/api:2.0');
    expect(api.args).toEqual(['c']);
    expect(api.env).toEqual([
      { name: 'B', value: '20' },
      { name: 'C', value: '3' },
      { name: 'A', value: '1' },
    ]);
    expect(sidecar).toEqual({ name: 'sidecar', image: 'other/sidecar:1' });
  });

  it('refuses what it does not implement, a patch without a target and an object defined twice', () => {
    const root = tree({
      'a/kustomization.yaml': 'resources: [d.yaml]\nconfigMapGenerator: []\n',
      'a/d.yaml': DEPLOYMENT,
      'b/kustomization.yaml': 'resources: [d.yaml]\npatches:\n  - path: p.yaml\n',
      'b/d.yaml': DEPLOYMENT,
      'b/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: nope }\nspec: { replicas: 2 }\n',
      'c/kustomization.yaml': 'resources: [d.yaml, d.yaml]\n',
      'c/d.yaml': DEPLOYMENT,
    });
    expect(() => renderKustomization(path.join(root, 'a'))).toThrow(/not supported by this renderer: configMapGenerator/);
    expect(() => renderKustomization(path.join(root, 'b'))).toThrow(/Deployment nope is not among the resources/);
    expect(() => renderKustomization(path.join(root, 'c'))).toThrow(/defined twice/);
  });
});

describe('strategicMerge', () => {
  it('merges maps, replaces plain lists, merges volumeMounts by mountPath and deletes a key set to null', () => {
    const target = { a: { b: 1, c: 2 }, list: [1, 2], volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }], gone: 'x' };
    const patch = { a: { c: 3 }, list: [9], volumeMounts: [{ mountPath: '/data', name: 'data' }], gone: null };
    expect(strategicMerge(target, patch)).toEqual({
      a: { b: 1, c: 3 },
      list: [9],
      volumeMounts: [
        { mountPath: '/data', name: 'data' },
        { mountPath: '/tmp', name: 'tmp' },
      ],
    });
    expect(target.a).toEqual({ b: 1, c: 2 });
  });
});
