/** The simulators' control APIs serve loopback callers only, whatever address the server binds to. */
import type { NextFunction, Request, Response } from 'express';
import { isLoopbackAddress } from '../../domain/loopback';

export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (isLoopbackAddress(req.socket.remoteAddress)) return next();
  res.status(403).json({ error: 'control API is only available from loopback' });
}
