import { getKoppelingType } from '../../domain/koppeling-types';
import { oauth2SystemFor } from '../../oauth/systems';
import { credentialsBody } from '../schemas';
import { ownValue } from '../keys';
import { defineRoute, HttpError, zodIssues } from '../route';
import { loadKoppeling } from './load';

export const replaceCredentials = defineRoute({
  method: 'put',
  path: '/koppelingen/:id/credentials',
  summary: 'Replace the credentials of one system (stored encrypted), then signal reauthorized',
  tag: 'koppelingen',
  auth: 'any',
  body: credentialsBody,
  responses: { 200: 'the new credentials version', 400: 'invalid body', 403: 'other tenant', 404: 'unknown', 409: 'another linked koppeling already books the same data' },
  handler: async ({ ctx, principal, params, body }) => {
    const k = await loadKoppeling(ctx, principal, params.id);
    const schema = ownValue(getKoppelingType(k.type)?.credentials, body.system);
    if (!schema) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'system', reason: `not used by ${k.type}` }]);
    if (oauth2SystemFor(body.system)) throw new HttpError(400, 'Ongeldige invoer', [{ field: 'system', reason: `${body.system} uses OAuth2: authorize its connection instead` }]);
    const parsed = schema.safeParse(body.credentials);
    if (!parsed.success) throw new HttpError(400, 'Ongeldige invoer', zodIssues(parsed.error, 'credentials'));
    return { credentialsVersion: await ctx.service.replaceCredentials(k, body.system, parsed.data) };
  },
});
