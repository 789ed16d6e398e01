/** The OpenAPI document and the Express routes come from one list; this keeps them in sync. */
import { createApp, ROUTES } from '../../src/api/app';
import type { ApiContext } from '../../src/api/context';
import { openApiDocument } from '../../src/api/openapi';

function expressRoutes(): string[] {
  const app = createApp({ config: { KOPPELWERK_OPERATOR_API_KEY: 'x'.repeat(24), KOPPELWERK_UI_ORIGIN: 'http://localhost:8233' } } as unknown as ApiContext);
  const stack = (app as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }).router.stack;
  return stack
    .filter((l) => l.route)
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path.replace(/:([A-Za-z]+)/g, '{$1}')}`))
    .filter((r) => r !== 'GET /openapi.json')
    .sort();
}

describe('OpenAPI document', () => {
  const doc = openApiDocument(ROUTES) as { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ name: string; in: string }> }>> };

  it('documents exactly the routes Express serves', () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(expressRoutes());
    expect(documented.length).toBeGreaterThan(15);
  });

  it('carries the zod schemas: bodies, path and query parameters', () => {
    const create = doc.paths['/koppelingen'].post as { requestBody: { content: { 'application/json': { schema: { required: string[]; properties: Record<string, unknown> } } } } };
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['type', 'name']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['cadence', 'credentials', 'mapping', 'settings']));
    const list = doc.paths['/koppelingen'].get;
    expect(list.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['query:state', 'query:tenantId', 'query:limit']));
    expect(doc.paths['/koppelingen/{id}/pause'].post.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
  });
});
