/**
 * Route-per-file: each route declares its method, path, auth, zod schemas and handler in one object.
 * The same objects register the Express routes and generate the OpenAPI document, so they cannot drift.
 */
import type { Request, Response } from 'express';
import { z, type ZodTypeAny } from 'zod';
import type { ApiContext } from './context';
import type { Principal } from './auth';

export type Auth = 'public' | 'any' | 'operator';

export interface RouteDef<B extends ZodTypeAny = ZodTypeAny, Q extends ZodTypeAny = ZodTypeAny> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express-style path, e.g. /koppelingen/:id/pause */
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  body?: B;
  query?: Q;
  /** Response descriptions by status, for the OpenAPI document. */
  responses: Record<number, string>;
  handler: (args: {
    ctx: ApiContext;
    principal: Principal;
    params: Record<string, string>;
    body: z.infer<B>;
    query: z.infer<Q>;
    req: Request;
    res: Response;
  }) => Promise<unknown>;
}

export function defineRoute<B extends ZodTypeAny = ZodTypeAny, Q extends ZodTypeAny = ZodTypeAny>(def: RouteDef<B, Q>): RouteDef<B, Q> {
  return def;
}

/** A handled error: the status and a JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: { field: string; reason: string }[],
  ) {
    super(message);
  }
}

export function zodIssues(err: z.ZodError, prefix = ''): { field: string; reason: string }[] {
  return err.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)', reason: i.message }));
}

// Handlers are contravariant in their schemas; a list of routes holds them erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any>;
