import { loadAll } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { isOperatorPath } from '../../src/common/operator-port';
import { METRICS_REGISTRY } from '../../src/metrics/metrics.tokens';
import { RunningApp, startApp } from '../support/app-harness';
import { SERVICE_NODE_FLAGS } from '../../scripts/bench/options';

/*
 * The deploy/ assets against the code they deploy: probe paths and ports, the public paths, variable names,
 * the restricted Pod Security profile, and every metric a dashboard panel or an alert reads.
 */

type Doc = Record<string, unknown>;
const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const manifests = (path: string) => loadAll(read(path)) as Doc[];

// Small typed views of the manifests: only the fields checked here.
interface ContainerPort {
  name: string;
  containerPort: number;
}
interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  image: string;
  ports: ContainerPort[];
  env: { name: string; value?: string }[];
  envFrom: { secretRef: { name: string } }[];
  volumeMounts: { name: string; mountPath: string }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  startupProbe: Probe;
  securityContext: {
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
  };
}
interface PodSpec {
  securityContext: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  containers: Container[];
  volumes: { name: string; emptyDir?: object }[];
}
interface ServicePort {
  name: string;
  port: number;
  targetPort: string;
}
interface IngressPath {
  path: string;
  pathType: string;
  backend: { service: { name: string; port: { name: string } } };
}

const byKind = (docs: Doc[], kind: string): Doc => {
  const found = docs.find((doc) => doc.kind === kind);
  if (!found) throw new Error(`no ${kind} in the manifests`);
  return found;
};
const spec = <T>(doc: Doc): T => doc.spec as T;

const envExampleNames = new Set(
  read('.env.example')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined),
);

describe('deploy assets', () => {
  const kubernetes = manifests('deploy/kubernetes/voice-crm.yaml');
  const deployment = byKind(kubernetes, 'Deployment');
  const pod = spec<{ template: { spec: PodSpec } }>(deployment).template.spec;
  const [container] = pod.containers;
  const service = byKind(kubernetes, 'Service');
  const servicePorts = spec<{ ports: ServicePort[]; type?: string }>(service).ports;
  const ingressPaths = spec<{ rules: { http: { paths: IngressPath[] } }[] }>(
    byKind(kubernetes, 'Ingress'),
  ).rules.flatMap((rule) => rule.http.paths);
  const [secret] = manifests('deploy/kubernetes/secret.example.yaml');
  const secretNames = Object.keys(secret.stringData as Record<string, string>);
  const envValue = (name: string) => container.env.find((entry) => entry.name === name)?.value;
  const portNamed = (name: string) => container.ports.find((port) => port.name === name)?.containerPort;

  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(() => running.close());

  describe('the image', () => {
    it('should start node with the flags the bench measures the service with', () => {
      const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
      const argv = JSON.parse(cmd?.[1] ?? '[]') as string[];
      expect(argv[0]).toBe('node');
      expect(argv.at(-1)).toBe('dist/main.js');
      expect(argv.slice(1, -1)).toEqual([...SERVICE_NODE_FLAGS]);
    });
  });

  describe('the Deployment', () => {
    it('should probe the health routes the service has, on its public port', async () => {
      const probes = [container.livenessProbe, container.readinessProbe, container.startupProbe];
      expect(probes.map((probe) => probe.httpGet.path).sort()).toEqual([
        '/health/live',
        '/health/live',
        '/health/ready',
      ]);
      for (const probe of probes) {
        expect(portNamed(probe.httpGet.port)).toBe(Number(envValue('PORT')));
        const response = await fetch(`${running.url}${probe.httpGet.path}`);
        await response.arrayBuffer();
        expect([200, 503]).toContain(response.status);
      }
    });

    it('should declare the container ports PORT and ADMIN_PORT name', () => {
      expect(portNamed('http')).toBe(Number(envValue('PORT')));
      expect(portNamed('admin')).toBe(Number(envValue('ADMIN_PORT')));
    });

    it('should only set variables the service reads, and take its secrets from the Secret', () => {
      for (const { name } of container.env) expect(envExampleNames).toContain(name);
      expect(container.envFrom.map((source) => source.secretRef.name)).toEqual([
        secret.metadata && (secret.metadata as Doc).name,
      ]);
    });

    it('should run a pinned image under the restricted Pod Security profile', () => {
      expect(container.image).toMatch(/:[0-9]+\.[0-9]+\.[0-9]+(@sha256:[0-9a-f]{64})?$/);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.seccompProfile?.type).toBe('RuntimeDefault');
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.securityContext.capabilities?.add).toBeUndefined();
      const emptyDirs = new Set(pod.volumes.filter((volume) => volume.emptyDir).map((volume) => volume.name));
      const writable = container.volumeMounts
        .filter((mount) => emptyDirs.has(mount.name))
        .map((mount) => mount.mountPath);
      expect(writable.sort()).toEqual(['/app/data', '/tmp']);
    });
  });

  describe('the Service and the Ingress', () => {
    it('should expose the public and the admin port inside the cluster only', () => {
      expect(spec<{ type?: string }>(service).type).toBe('ClusterIP');
      expect(servicePorts.map((port) => port.targetPort).sort()).toEqual(['admin', 'http']);
      for (const port of servicePorts) expect(portNamed(port.targetPort)).toBeDefined();
    });

    it('should route exactly the webhook and Twilio paths, to the public port, and they exist', async () => {
      expect(ingressPaths.map((path) => path.path).sort()).toEqual([
        '/twilio/status',
        '/vapi/webhook',
        '/webhook/vapi',
      ]);
      for (const path of ingressPaths) {
        expect(path.pathType).toBe('Exact');
        expect(path.backend.service.port.name).toBe('http');
        expect(isOperatorPath(path.path)).toBe(false);
        const response = await fetch(`${running.url}${path.path}`, { method: 'POST' });
        await response.arrayBuffer();
        expect(response.status).not.toBe(404);
      }
    });

    it('should scrape /metrics on the admin port', () => {
      const [monitor] = manifests('deploy/monitoring/service-monitor.yaml');
      const endpoints = spec<{ endpoints: { port: string; path: string }[] }>(monitor).endpoints;
      expect(endpoints).toEqual([expect.objectContaining({ port: 'admin', path: '/metrics' })]);
      expect(isOperatorPath('/metrics')).toBe(true);
    });
  });

  describe('the Secret example', () => {
    it('should hold only variables of .env.example, the VAPI credential id among them', () => {
      for (const name of secretNames) expect(envExampleNames).toContain(name);
      expect(secretNames).toEqual(
        expect.arrayContaining([
          'VAPI_WEBHOOK_SECRET',
          'VAPI_SERVER_CREDENTIAL_ID',
          'ADMIN_API_KEY',
          'DATABASE_URL',
        ]),
      );
    });
  });

  describe('dashboard and alerts', () => {
    const metricNames = () =>
      new Set(
        running.app
          .get<Registry>(METRICS_REGISTRY)
          .getMetricsAsArray()
          .map((metric) => metric.name),
      );
    /** Metric names in a PromQL expression (a histogram's series named by their base metric). */
    const metricsIn = (expr: string) =>
      [...expr.matchAll(/\b((?:vapi|salesforce|delivery|sms|twilio)_[a-z_]+)\b/g)].map(([, name]) =>
        name.replace(/_(bucket|sum|count)$/, ''),
      );

    it('should read only metrics the service exports, in every dashboard panel', () => {
      const dashboard = JSON.parse(read('deploy/monitoring/grafana-dashboard.json')) as {
        panels: { type: string; title: string; targets?: { expr: string }[] }[];
      };
      const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
      expect(exprs.length).toBeGreaterThan(10);
      const known = metricNames();
      for (const expr of exprs) {
        expect(metricsIn(expr).length).toBeGreaterThan(0);
        for (const name of metricsIn(expr)) expect(known).toContain(name);
      }
      const titles = dashboard.panels.map((panel) => panel.title.toLowerCase()).join(' | ');
      for (const topic of ['calls', 'tool latency', 'daily limit', 'token', 'backlog', 'dead letters']) {
        expect(titles).toContain(topic);
      }
    });

    it('should alert on token failure, backlog age, dead letters, 401 and 5xx rates and API usage, with exported metrics', () => {
      const [rules] = manifests('deploy/monitoring/prometheus-rules.yaml');
      expect(rules.kind).toBe('PrometheusRule');
      const alerts = spec<{ groups: { rules: { alert: string; expr: string }[] }[] }>(rules).groups.flatMap(
        (group) => group.rules,
      );
      const known = metricNames();
      for (const alert of alerts) for (const name of metricsIn(alert.expr)) expect(known).toContain(name);
      const reads = (metric: string, label?: string) =>
        alerts.some((alert) => alert.expr.includes(metric) && (!label || alert.expr.includes(label)));
      expect(reads('salesforce_token_requests_total')).toBe(true);
      expect(reads('delivery_oldest_pending_age_seconds')).toBe(true);
      expect(reads('delivery_dead_letters')).toBe(true);
      expect(reads('vapi_webhook_requests_total', 'outcome="rejected"')).toBe(true);
      expect(reads('vapi_webhook_requests_total', 'outcome=~"error|not_stored"')).toBe(true);
      expect(reads('salesforce_api_limit')).toBe(true);
    });
  });
});
