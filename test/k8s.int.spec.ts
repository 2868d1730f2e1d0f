import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import ts from 'typescript';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ScaledObject, type IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication, type ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';
import { CONFIG_ENV_NAMES, INTERNAL_TOKEN_HOLDERS, configSchema, consumerGroupId, loadConfig, type ServiceName } from '@silta/platform/config';
import { SILTA_TOPIC_PARTITIONS } from '@silta/messaging/security/acl-table';
import { VIEW_CONSUMER_GROUP } from '../apps/disclosure/src/view/view.constants';
import { WEB_CONFIG_ENV_NAMES, webConfigSchema } from '../apps/web/src/server/config';

// Renders deploy/k8s's two overlays with kubectl's built-in Kustomize and checks what an operator
// would apply: every object against the Kubernetes API schemas (kubernetes-models: Kubernetes 1.36,
// KEDA 2.19), and every container against the apps themselves (their config schema, ports, health
// routes, images), the party split, the secrets and the NetworkPolicies, as test/compose.unit.spec.ts
// does for docker-compose.yml. An int test only because it runs a tool (kubectl), not a broker.
const root = join(__dirname, '..');
const PARTY_APPS = { municipality: ['consent', 'disclosure', 'roster'], 'welfare-area': ['receipts'] } as const satisfies Record<string, readonly ServiceName[]>;
type Party = keyof typeof PARTY_APPS;
/** The web app (apps/web) is the municipality's: it holds no data and forwards to both parties' APIs. */
const WEB_OF: Record<Party, readonly string[]> = { municipality: ['web'], 'welfare-area': [] };
const PARTIES = Object.keys(PARTY_APPS) as Party[];
const NAMESPACE: Record<Party, string> = { municipality: 'silta-municipality', 'welfare-area': 'silta-welfare-area' };

/** Settings that hold a secret: never a literal value in a manifest, only a Secret reference or a mounted file. */
const SECRET_SETTINGS = ['DATABASE_URL', 'KAFKA_PASSWORD', 'INTERNAL_TOKEN_SECRET', 'INTERNAL_TOKEN_PREVIOUS_SECRET', 'AUDIT_SIGNING_KEY', 'JWT_SECRET', 'METRICS_TOKEN', 'WEB_SESSION_KEY'];

/** The variables deploy/docker/entrypoint.sh reads from <NAME>_FILE (the apps read KAFKA_PASSWORD_FILE themselves). */
const ENTRYPOINT_READS = (/^for name in ([\w ]+); do$/m.exec(readFileSync(join(root, 'deploy', 'docker', 'entrypoint.sh'), 'utf8'))?.[1] ?? '').split(' ');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The kinds the overlays may hold, at API versions a current cluster serves, with their schema model and type. */
// The repo's Node10 module resolution does not see @kubernetes-models/base's types (declared under
// package exports only), so the models' inherited validate() is reached through a cast below.
const ALLOWED: Record<string, { model: new (data: never) => object; type: string; from: string }> = {
  'v1/Namespace': { model: Namespace, type: 'INamespace', from: 'kubernetes-models/v1/Namespace' },
  'v1/Service': { model: Service, type: 'IService', from: 'kubernetes-models/v1/Service' },
  'v1/ServiceAccount': { model: ServiceAccount, type: 'IServiceAccount', from: 'kubernetes-models/v1/ServiceAccount' },
  'v1/ConfigMap': { model: ConfigMap, type: 'IConfigMap', from: 'kubernetes-models/v1/ConfigMap' },
  'apps/v1/Deployment': { model: Deployment, type: 'IDeployment', from: 'kubernetes-models/apps/v1/Deployment' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, type: 'IPodDisruptionBudget', from: 'kubernetes-models/policy/v1/PodDisruptionBudget' },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy, type: 'INetworkPolicy', from: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler, type: 'IHorizontalPodAutoscaler', from: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler' },
  'keda.sh/v1alpha1/ScaledObject': { model: ScaledObject, type: 'IScaledObject', from: '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject' },
  'keda.sh/v1alpha1/TriggerAuthentication': { model: TriggerAuthentication, type: 'ITriggerAuthentication', from: '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication' },
};
const kindOf = (object: K8sObject) => `${object.apiVersion}/${object.kind}`;
/** The objects of allowed kinds (the others fail the allow-list test on their own). */
const known = (objects: readonly K8sObject[]) => objects.filter((object) => kindOf(object) in ALLOWED);

function render(party: Party): K8sObject[] {
  const overlay = join(root, 'deploy', 'k8s', 'overlays', party);
  const result = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('kubectl is not on PATH: install kubectl (1.27 or later; it has Kustomize built in), or run .ci/run, which puts one in .cache/kubectl/');
  }
  if (result.status !== 0) throw new Error(`kubectl kustomize deploy/k8s/overlays/${party} failed:\n${result.stderr}`);
  return (loadAll(result.stdout) as Array<K8sObject | null>).filter((object): object is K8sObject => object !== null);
}

/** Compiles each object as a literal of its kubernetes-models type: unknown or misspelled fields are errors. */
function unknownFieldErrors(objects: readonly K8sObject[]): string[] {
  const dir = mkdtempSync(join(root, 'node_modules', '.cache-k8s-types-'));
  try {
    const kinds = [...new Set(objects.map(kindOf))];
    const source = [
      ...kinds.map((kind) => `import type { ${ALLOWED[kind]!.type} } from '${ALLOWED[kind]!.from}';`),
      ...objects.map((object, i) => `// ${object.kind} ${object.metadata.name}\nexport const o${i}: ${ALLOWED[kindOf(object)]!.type} = ${JSON.stringify(object, null, 2)};`),
    ].join('\n');
    const file = join(dir, 'objects.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
      const line = where ? source.split('\n')[where.line] : '';
      const object = where ? /^\/\/ (.+)$/m.exec(source.split('\n').slice(0, where.line).reverse().find((l) => l.startsWith('// ')) ?? '')?.[1] : undefined;
      return `${object ?? '?'}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')} (at ${line?.trim()})`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function matches(selector: ILabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    const ok = operator === 'In' ? has && values.includes(labels[key]!) : operator === 'NotIn' ? !has || !values.includes(labels[key]!) : operator === 'Exists' ? has : !has;
    if (!ok) return false;
  }
  return true;
}

/** A peer as "namespace[labels]" (namespace "*" for any, "ipBlock:<cidr>" for an address range). */
function describePeer(peer: INetworkPolicyPeer, ownNamespace: string): string {
  if (peer.ipBlock) return `ipBlock:${peer.ipBlock.cidr}`;
  const ns = peer.namespaceSelector ? (peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'] ?? '*') : ownNamespace;
  const terms = [
    ...Object.entries(peer.podSelector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(peer.podSelector?.matchExpressions ?? []).map(({ key, operator, values = [] }) => `${key} ${operator} (${values.join('|')})`),
  ];
  const pods = terms.length ? terms.join(',') : '*';
  return `${ns}[${pods}]`;
}

/** Every (peer, port) a pod may send to (or receive from), by the NetworkPolicies that select it; "anywhere" for an open rule. */
function allowed(objects: readonly K8sObject[], podLabels: Record<string, string>, direction: 'Egress' | 'Ingress'): string[] {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as unknown as INetworkPolicy[];
  const out = new Set<string>();
  for (const policy of policies) {
    const spec = policy.spec!;
    if (!spec.policyTypes?.includes(direction) || !matches(spec.podSelector, podLabels)) continue;
    const rules = direction === 'Egress' ? (spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports })) : (spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }));
    for (const { peers, ports } of rules) {
      const portNames = ports?.length ? ports.map((p) => `${p.protocol ?? 'TCP'}/${p.port ?? '*'}`) : ['*'];
      for (const peer of peers?.length ? peers : [undefined]) {
        for (const port of portNames) out.add(`${peer ? describePeer(peer, policy.metadata!.namespace!) : 'anywhere'} ${port}`);
      }
    }
  }
  return [...out].sort();
}

function defaultPort(app: ServiceName): number {
  const secrets = INTERNAL_TOKEN_HOLDERS.includes(app) ? { INTERNAL_TOKEN_SECRET: 'i'.repeat(32) } : {};
  return loadConfig(app, { KAFKA_USERNAME: app, KAFKA_PASSWORD: 'unused', JWT_SECRET: 'j'.repeat(32), ...secrets }).port;
}

describe('deploy/k8s: the Kubernetes manifests of the two parties', () => {
  const rendered = {} as Record<Party, K8sObject[]>;
  beforeAll(() => {
    for (const party of PARTIES) rendered[party] = render(party);
  });

  const ofKind = <T>(party: Party, kind: string) => rendered[party].filter((o) => o.kind === kind) as unknown as Array<T & K8sObject>;
  const deploymentsOf = (party: Party) => ofKind<IDeployment>(party, 'Deployment');
  const settingsOf = (party: Party) => (ofKind<{ data: Record<string, string> }>(party, 'ConfigMap').find((c) => c.metadata.name.startsWith('silta-settings'))?.data ?? {});
  const containerOf = (deployment: IDeployment) => deployment.spec!.template.spec!.containers[0]!;

  describe.each(PARTIES)('the %s overlay', (party) => {
    it('holds only objects of kinds and API versions a current cluster (and KEDA) serves', () => {
      expect(rendered[party].map(kindOf).filter((kind) => !(kind in ALLOWED))).toEqual([]);
    });

    it('holds only objects valid against the API schema of their kind', () => {
      const invalid = known(rendered[party]).flatMap((object) => {
        try {
          (new ALLOWED[kindOf(object)]!.model(object as never) as { validate(): void }).validate();
          return [];
        } catch (error) {
          return [`${object.kind} ${object.metadata.name}: ${(error as Error).message}`];
        }
      });
      expect(invalid).toEqual([]);
    });

    it('has no field its kind does not know (a misspelt field is otherwise silently dropped by the API server)', () => {
      expect(unknownFieldErrors(known(rendered[party]))).toEqual([]);
    }, 60_000);

    it("holds exactly its party's apps, in the party's own namespace", () => {
      expect(deploymentsOf(party).map((d) => d.metadata.name).sort()).toEqual([...PARTY_APPS[party], ...WEB_OF[party]].sort());
      expect(new Set(rendered[party].filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace))).toEqual(new Set([NAMESPACE[party]]));
      expect(ofKind(party, 'Namespace').map((n) => n.metadata.name)).toEqual([NAMESPACE[party]]);
    });

    it('holds no Secret and no secret value: Secrets are referenced, the operator creates them', () => {
      expect(rendered[party].filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([]);
      for (const map of ofKind<{ data?: Record<string, string> }>(party, 'ConfigMap')) {
        for (const name of SECRET_SETTINGS) expect({ configMap: map.metadata.name, key: name, present: name in (map.data ?? {}) }).toEqual({ configMap: map.metadata.name, key: name, present: false });
      }
      for (const deployment of deploymentsOf(party)) {
        const literal = (containerOf(deployment).env ?? []).filter((e) => SECRET_SETTINGS.includes(e.name) && (e.value !== undefined || !e.valueFrom?.secretKeyRef));
        expect({ app: deployment.metadata!.name, literalSecrets: literal.map((e) => e.name) }).toEqual({ app: deployment.metadata!.name, literalSecrets: [] });
      }
      // No private key or password-bearing URL anywhere in the rendered text.
      const text = JSON.stringify(rendered[party]);
      expect(text).not.toMatch(/PRIVATE\+KEY|BEGIN [A-Z ]*PRIVATE KEY|postgres(ql)?:\/\/[^/"]*:[^@"]*@/);
    });

    it('denies all traffic of the namespace unless a policy allows it', () => {
      const policies = ofKind<INetworkPolicy>(party, 'NetworkPolicy');
      const defaultDeny = policies.find((p) => Object.keys(p.spec!.podSelector ?? {}).length === 0 && p.spec!.policyTypes?.includes('Ingress') && p.spec!.policyTypes.includes('Egress') && !p.spec!.ingress && !p.spec!.egress);
      expect(defaultDeny?.metadata.name).toBe('default-deny');
    });
  });

  describe.each(PARTIES.flatMap((party) => PARTY_APPS[party].map((app) => [app, party] as const)))('%s (%s)', (app, party) => {
    const deployment = () => deploymentsOf(party).find((d) => d.metadata!.name === app)!;
    const container = () => containerOf(deployment());
    /** The container's environment as the app sees it: its ConfigMap settings, then its own env (literal values only). */
    const environment = (c: IContainer) => {
      const fromConfigMaps = (c.envFrom ?? []).flatMap((source) => {
        const name = source.configMapRef?.name;
        const map = ofKind<{ data: Record<string, string> }>(party, 'ConfigMap').find((m) => m.metadata.name === name);
        if (!map) throw new Error(`${app}: envFrom names ConfigMap ${name}, which the overlay does not hold`);
        return Object.entries(map.data);
      });
      return { names: [...fromConfigMaps.map(([k]) => k), ...(c.env ?? []).map((e) => e.name)], values: Object.fromEntries<string>([...fromConfigMaps, ...(c.env ?? []).filter((e) => e.value !== undefined).map((e): [string, string] => [e.name, e.value!])]) };
    };

    it("runs the app's compiled image, the one docker-compose.yml builds for it", () => {
      const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string }> };
      const imageName = (image: string) => image.replace(/[:@].*$/, '').split('/').pop();
      expect(imageName(container().image!)).toBe(imageName(compose.services[app]!.image));
      expect(imageName(container().image!)).toBe(`silta-${app}`);
    });

    it('sets only environment names the config schema knows (or <NAME>_FILE the image reads), and they parse', () => {
      const known = new Set<string>([...CONFIG_ENV_NAMES, 'KAFKA_PASSWORD_FILE', ...ENTRYPOINT_READS.map((name) => `${name}_FILE`)]);
      const { names, values } = environment(container());
      expect(names.filter((name) => !known.has(name))).toEqual([]);
      const parsed = configSchema.safeParse({ ...values, KAFKA_PASSWORD: 'from-the-secret' });
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
      expect(values.KAFKA_USERNAME).toBe(app);
      expect(names.includes('INTERNAL_TOKEN_SECRET_FILE')).toBe(INTERNAL_TOKEN_HOLDERS.includes(app));
    });

    it("listens on all interfaces on the app's own port, which its Service and probes use", () => {
      const { values } = environment(container());
      expect(values.HOST).toBe('0.0.0.0');
      const port = container().ports?.find((p) => p.name === 'http')?.containerPort;
      expect(port).toBe(defaultPort(app));
      expect(Number(values.PORT ?? port)).toBe(defaultPort(app));
      const service = ofKind<{ spec: { selector: Record<string, string>; ports: Array<{ port: number; targetPort: string | number }> } }>(party, 'Service').find((s) => s.metadata.name === app)!;
      expect(service.spec.ports).toEqual([expect.objectContaining({ port: defaultPort(app), targetPort: 'http' })]);
      expect(matches({ matchLabels: service.spec.selector }, deployment().spec!.template.metadata!.labels!)).toBe(true);
    });

    it('is probed on /health/ready for readiness and /health/live for liveness and start-up', () => {
      const c = container();
      expect({ ready: c.readinessProbe?.httpGet?.path, live: c.livenessProbe?.httpGet?.path, startup: c.startupProbe?.httpGet?.path }).toEqual({ ready: '/health/ready', live: '/health/live', startup: '/health/live' });
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) expect(probe?.httpGet?.port).toBe('http');
    });

    it("runs as the image's non-root user with a read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp", () => {
      const pod = deployment().spec!.template.spec!;
      const c = container();
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^USER node$/m); // node is uid 1000 in node:20-slim
      // The only places it writes, DATA_DIR (Dockerfile) and /tmp, are emptyDirs.
      const emptyDirs = new Set((pod.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
      const writable = (c.volumeMounts ?? []).filter((m) => emptyDirs.has(m.name) && !m.readOnly).map((m) => m.mountPath).sort();
      expect(writable).toEqual(['/app/data', '/tmp']);
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    it('finds every file setting (*_FILE, TRUSTED_ISSUERS, KAFKA_SSL_CA_FILE) mounted, secrets from Secrets only', () => {
      const pod = deployment().spec!.template.spec!;
      const provided = new Map<string, 'secret' | 'configMap'>();
      for (const mount of container().volumeMounts ?? []) {
        const volume = pod.volumes?.find((v) => v.name === mount.name);
        for (const source of volume?.projected?.sources ?? []) {
          for (const item of source.secret?.items ?? []) provided.set(`${mount.mountPath}/${item.path}`, 'secret');
          for (const item of source.configMap?.items ?? []) provided.set(`${mount.mountPath}/${item.path}`, 'configMap');
        }
      }
      const { values } = environment(container());
      const files = Object.entries(values).filter(([name]) => name.endsWith('_FILE') || name === 'TRUSTED_ISSUERS');
      expect(files.length).toBeGreaterThan(2);
      for (const [name, path] of files) {
        const secret = SECRET_SETTINGS.includes(name.replace(/_FILE$/, ''));
        expect({ name, path, from: provided.get(path) }).toEqual({ name, path, from: secret ? 'secret' : 'configMap' });
      }
    });

    it('asks for the memory it was measured to use, and keeps at least one instance through a voluntary disruption', () => {
      const resources = container().resources!;
      const mebibytes = (quantity: string | number | undefined) => Number(/^(\d+)Mi$/.exec(String(quantity))?.[1] ?? NaN);
      // BENCHMARKS.md "Memory": peak RSS under load 114-142 MB with the image's heap flags.
      expect(mebibytes(resources.requests?.memory)).toBeGreaterThanOrEqual(142_000_000 / 2 ** 20);
      expect(mebibytes(resources.limits?.memory)).toBeGreaterThan(mebibytes(resources.requests?.memory));
      expect(resources.requests?.cpu).toBeDefined();
      const budgets = ofKind<{ spec: { minAvailable?: number; selector: ILabelSelector } }>(party, 'PodDisruptionBudget').filter((b) => matches(b.spec.selector, deployment().spec!.template.metadata!.labels!));
      expect(budgets.map((b) => b.spec.minAvailable)).toEqual([1]);
      expect(deployment().spec!.replicas).toBeGreaterThanOrEqual(2);
    });
  });

  describe('web (municipality): the people\'s front end', () => {
    const deployment = () => deploymentsOf('municipality').find((d) => d.metadata!.name === 'web')!;
    const container = () => containerOf(deployment());
    const labels = () => deployment().spec!.template.metadata!.labels!;
    /** Its environment: its own ConfigMap's settings, then its env (literal values only). */
    const environment = () => {
      const c = container();
      const fromConfigMaps = (c.envFrom ?? []).flatMap((source) => {
        const map = ofKind<{ data: Record<string, string> }>('municipality', 'ConfigMap').find((m) => m.metadata.name === source.configMapRef?.name);
        if (!map) throw new Error(`web: envFrom names ConfigMap ${source.configMapRef?.name}, which the overlay does not hold`);
        return Object.entries(map.data);
      });
      const own = c.env ?? [];
      return { names: [...fromConfigMaps.map(([k]) => k), ...own.map((e) => e.name)], values: Object.fromEntries<string>([...fromConfigMaps, ...own.filter((e) => e.value !== undefined).map((e): [string, string] => [e.name, e.value!])]) };
    };
    const servicePort = (party: Party, name: string) =>
      ofKind<{ spec: { ports: Array<{ port: number }> } }>(party, 'Service').find((s) => s.metadata.name === name)?.spec.ports[0]?.port;

    it('runs the web image, the one docker-compose.yml builds for it', () => {
      const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string }> };
      const imageName = (image: string) => image.replace(/[:@].*$/, '').split('/').pop();
      expect(imageName(container().image!)).toBe('silta-web');
      expect(imageName(compose.services.web!.image)).toBe('silta-web');
    });

    it("sets only names the web app's config schema knows (or <NAME>_FILE the image reads), and they parse", () => {
      const known = new Set<string>([...WEB_CONFIG_ENV_NAMES, ...ENTRYPOINT_READS.map((name) => `${name}_FILE`)]);
      const { names, values } = environment();
      expect(names.filter((name) => !known.has(name))).toEqual([]);
      // The key comes from its Secret as a file: the image's entry point reads it into WEB_SESSION_KEY.
      expect(ENTRYPOINT_READS).toContain('WEB_SESSION_KEY');
      expect(names).toContain('WEB_SESSION_KEY_FILE');
      const parsed = webConfigSchema.safeParse({ ...values, WEB_SESSION_KEY: Buffer.alloc(32, 7).toString('base64url') });
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
      // The bundle is where the Dockerfile's build put it.
      expect(values.WEB_PUBLIC_DIR).toBe('/app/dist/web/public');
      expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('WEB_PUBLIC_DIR=/app/dist/web/public');
    });

    it("forwards to each party's API at its Service and port, and signs in only through https providers", () => {
      const { values } = environment();
      const parsed = webConfigSchema.parse({ ...values, WEB_SESSION_KEY: Buffer.alloc(32, 7).toString('base64url') });
      const apis = { roster: parsed.WEB_API_ROSTER, consent: parsed.WEB_API_CONSENT, disclosure: parsed.WEB_API_DISCLOSURE, receipts: parsed.WEB_API_RECEIPTS };
      for (const [app, url] of Object.entries(apis) as Array<[ServiceName, string | undefined]>) {
        const party = (Object.keys(PARTY_APPS) as Party[]).find((p) => (PARTY_APPS[p] as readonly string[]).includes(app))!;
        const target = new URL(url ?? 'missing:');
        // In its own namespace by Service name, across to the other party by <service>.<namespace>.svc.
        const host = party === 'municipality' ? app : `${app}.${NAMESPACE[party]}.svc`;
        expect({ app, host: target.hostname, port: Number(target.port) }).toEqual({ app, host, port: servicePort(party, app) });
      }
      for (const provider of parsed.WEB_OIDC_PROVIDERS) expect(new URL(provider.issuer).protocol).toBe('https:');
      expect(new URL(parsed.WEB_PUBLIC_URL!).protocol).toBe('https:');
    });

    it('listens on all interfaces on WEB_PORT, which its Service and probes (/health) use', () => {
      const { values } = environment();
      expect(values.WEB_HOST).toBe('0.0.0.0');
      const port = container().ports?.find((p) => p.name === 'http')?.containerPort;
      expect(Number(values.WEB_PORT)).toBe(port);
      expect(servicePort('municipality', 'web')).toBe(port);
      const service = ofKind<{ spec: { selector: Record<string, string>; ports: Array<{ targetPort: string | number }> } }>('municipality', 'Service').find((s) => s.metadata.name === 'web')!;
      expect(service.spec.ports[0]!.targetPort).toBe('http');
      expect(matches({ matchLabels: service.spec.selector }, labels())).toBe(true);
      const c = container();
      // apps/web/src/server/health.controller.ts: GET /health, which depends on nothing.
      expect({ ready: c.readinessProbe?.httpGet?.path, live: c.livenessProbe?.httpGet?.path, startup: c.startupProbe?.httpGet?.path }).toEqual({ ready: '/health', live: '/health', startup: '/health' });
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) expect(probe?.httpGet?.port).toBe('http');
    });

    it("runs as the image's non-root user with a read-only root, writing only to /tmp, its session key from a Secret", () => {
      const pod = deployment().spec!.template.spec!;
      const c = container();
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      const emptyDirs = new Set((pod.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
      expect((c.volumeMounts ?? []).filter((m) => emptyDirs.has(m.name) && !m.readOnly).map((m) => m.mountPath)).toEqual(['/tmp']);
      expect(pod.automountServiceAccountToken).toBe(false);
      const fromSecret = new Set<string>();
      for (const mount of c.volumeMounts ?? []) {
        for (const source of pod.volumes?.find((v) => v.name === mount.name)?.projected?.sources ?? []) for (const item of source.secret?.items ?? []) fromSecret.add(`${mount.mountPath}/${item.path}`);
      }
      expect(fromSecret.has(environment().values.WEB_SESSION_KEY_FILE!)).toBe(true);
      const resources = c.resources!;
      expect(resources.requests?.cpu).toBeDefined();
      expect(resources.requests?.memory).toBeDefined();
      expect(resources.limits?.memory).toBeDefined();
      const budgets = ofKind<{ spec: { minAvailable?: number; selector: ILabelSelector } }>('municipality', 'PodDisruptionBudget').filter((b) => matches(b.spec.selector, labels()));
      expect(budgets.map((b) => b.spec.minAvailable)).toEqual([1]);
      expect(deployment().spec!.replicas).toBeGreaterThanOrEqual(2);
    });

    it("reaches only DNS, the four apps' APIs and providers on the internet over https: no database, no broker", () => {
      expect(allowed(rendered.municipality, labels(), 'Egress')).toEqual([
        'ipBlock:0.0.0.0/0 TCP/443',
        'kube-system[k8s-app=kube-dns] TCP/53',
        'kube-system[k8s-app=kube-dns] UDP/53',
        `silta-municipality[silta.app=consent] TCP/${defaultPort('consent')}`,
        `silta-municipality[silta.app=disclosure] TCP/${defaultPort('disclosure')}`,
        `silta-municipality[silta.app=roster] TCP/${defaultPort('roster')}`,
        `silta-welfare-area[silta.app=receipts] TCP/${defaultPort('receipts')}`,
      ]);
      const internet = (ofKind<INetworkPolicy>('municipality', 'NetworkPolicy').flatMap((p) => (matches(p.spec!.podSelector, labels()) ? (p.spec!.egress ?? []) : [])).flatMap((r) => r.to ?? []).find((peer) => peer.ipBlock))!;
      expect([...(internet.ipBlock!.except ?? [])].sort()).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
    });

    it('is reached through the ingress controller, and reaches each API, which lets it in', () => {
      expect(allowed(rendered.municipality, labels(), 'Ingress')).toEqual(['ingress-nginx[*] TCP/3000']);
      for (const app of PARTY_APPS.municipality) {
        const appLabels = deploymentsOf('municipality').find((d) => d.metadata!.name === app)!.spec!.template.metadata!.labels!;
        expect(allowed(rendered.municipality, appLabels, 'Ingress')).toContain(`silta-municipality[silta.app=web] TCP/${defaultPort(app)}`);
      }
      const [receipts] = deploymentsOf('welfare-area');
      expect(allowed(rendered['welfare-area'], receipts!.spec!.template.metadata!.labels!, 'Ingress')).toContain(`silta-municipality[silta.app=web] TCP/${defaultPort('receipts')}`);
    });
  });

  it('autoscales roster, consent and receipts on CPU, and disclosure through KEDA only (no second HPA)', () => {
    const hpas = PARTIES.flatMap((party) => ofKind<IHorizontalPodAutoscaler>(party, 'HorizontalPodAutoscaler'));
    expect(hpas.map((h) => h.spec!.scaleTargetRef.name).sort()).toEqual(['consent', 'receipts', 'roster']);
    for (const hpa of hpas) expect(hpa.spec!.metrics).toEqual([expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) })]);
    const scaled = ofKind<IScaledObject>('municipality', 'ScaledObject');
    expect(scaled.map((s) => s.spec.scaleTargetRef.name)).toEqual(['disclosure']);
  });

  it("scales disclosure on its view consumer group's lag, as the app names the group, on the broker the app uses", () => {
    const [scaled] = ofKind<IScaledObject>('municipality', 'ScaledObject');
    const settings = settingsOf('municipality');
    const kafka = scaled!.spec.triggers.filter((t) => t.type === 'kafka');
    expect(kafka).toHaveLength(1);
    const group = consumerGroupId(configSchema.parse({ KAFKA_USERNAME: 'disclosure', ...settings }), VIEW_CONSUMER_GROUP);
    expect(kafka[0]!.metadata).toMatchObject({ consumerGroup: group, bootstrapServers: settings.KAFKA_BROKERS });
    expect(Number(kafka[0]!.metadata.lagThreshold)).toBeGreaterThan(0);
    expect(scaled!.spec.triggers.filter((t) => t.type === 'cpu')).toHaveLength(1);
    // More consumers than partitions would sit idle.
    expect(scaled!.spec.maxReplicaCount).toBeLessThanOrEqual(SILTA_TOPIC_PARTITIONS);
    // KEDA logs in as disclosure over SASL_SSL, with every credential from a Secret.
    const auth = ofKind<ITriggerAuthentication>('municipality', 'TriggerAuthentication').find((a) => a.metadata.name === kafka[0]!.authenticationRef?.name);
    expect(auth).toBeDefined();
    const fromSecrets = Object.fromEntries((auth!.spec.secretTargetRef ?? []).map((ref) => [ref.parameter, ref.name]));
    expect(Object.keys(fromSecrets).sort()).toEqual(['password', 'sasl', 'tls', 'username']);
    for (const parameter of ['sasl', 'tls', 'username', 'password', 'ca']) expect(kafka[0]!.metadata[parameter]).toBeUndefined();
  });

  it("lets receipts reach only DNS, the broker, its own database and disclosure's public API", () => {
    const [receipts] = deploymentsOf('welfare-area');
    expect(allowed(rendered['welfare-area'], receipts!.spec!.template.metadata!.labels!, 'Egress')).toEqual([
      'kube-system[k8s-app=kube-dns] TCP/53',
      'kube-system[k8s-app=kube-dns] UDP/53',
      `silta-broker[app.kubernetes.io/name=kafka] TCP/9092`,
      `silta-municipality[silta.app=disclosure] TCP/${defaultPort('disclosure')}`,
      'silta-welfare-area[silta.fi/database=welfare-area] TCP/5432',
    ]);
  });

  it("lets disclosure's API be reached by receipts, and roster's by consent and disclosure, inside the municipality", () => {
    const labels = (app: ServiceName) => deploymentsOf('municipality').find((d) => d.metadata!.name === app)!.spec!.template.metadata!.labels!;
    expect(allowed(rendered.municipality, labels('disclosure'), 'Ingress')).toContain(`silta-welfare-area[silta.app=receipts] TCP/${defaultPort('disclosure')}`);
    for (const app of ['consent', 'disclosure'] as const) expect(allowed(rendered.municipality, labels(app), 'Egress')).toContain(`silta-municipality[silta.app=roster] TCP/${defaultPort('roster')}`);
    // ...and the web app's forwarded calls (apps-ingress-web: the three API ports, each app listening on its own).
    expect(allowed(rendered.municipality, labels('roster'), 'Ingress').filter((peer) => peer.startsWith('silta-municipality[') && !peer.startsWith('silta-municipality[silta.app=web]'))).toEqual([`silta-municipality[silta.app In (consent|disclosure)] TCP/${defaultPort('roster')}`]);
    // Roster calls no other app; only disclosure leaves the municipality, to receipts' API (witnessing).
    const leaves = (app: ServiceName) => allowed(rendered.municipality, labels(app), 'Egress').filter((peer) => !/^(kube-system|silta-broker|silta-municipality)\[/.test(peer));
    expect({ roster: leaves('roster'), consent: leaves('consent'), disclosure: leaves('disclosure') }).toEqual({ roster: [], consent: [], disclosure: [`silta-welfare-area[silta.app=receipts] TCP/${defaultPort('receipts')}`] });
    expect(allowed(rendered.municipality, labels('roster'), 'Egress').filter((peer) => peer.includes('silta.app='))).toEqual([]);
  });
});
