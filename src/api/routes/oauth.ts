/** The OAuth2 callback: the provider sends the user's browser here with `code` and `state`. */
import { z } from 'zod';
import { callbackPage } from '../../oauth/page';
import { defineRoute } from '../route';

export const oauthCallbackQuery = z
  .object({
    code: z.string().max(4096).optional(),
    state: z.string().max(512).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(1000).optional(),
  })
  .passthrough();

export const oauthCallback = defineRoute({
  method: 'get',
  path: '/oauth/callback',
  summary: 'OAuth2 redirect target: exchanges the code, stores the tokens encrypted, shows a short Dutch page',
  tag: 'connections',
  auth: 'public',
  query: oauthCallbackQuery,
  responses: { 200: 'HTML: "Autorisatie gelukt"', 400: 'HTML: what went wrong (unknown, used or expired state; refused consent)', 502: 'HTML: the provider refused the code' },
  handler: async ({ ctx, query, res }) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html');
    if (!ctx.connections) return void res.status(500).send(callbackPage({ ok: false, oorzaak: 'Verbindingen zijn niet ingericht.', oplossing: 'Neem contact op met de beheerder.' }));
    const r = await ctx.connections.callback(query);
    if (r.ok) res.status(200).send(callbackPage({ ok: true, connectionName: r.connection.name, system: r.connection.system }));
    else res.status(r.status).send(callbackPage({ ok: false, oorzaak: r.oorzaak, oplossing: r.oplossing }));
    return undefined;
  },
});
