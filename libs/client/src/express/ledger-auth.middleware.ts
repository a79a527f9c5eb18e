import { authorizeRequest } from '../authorize-request';
import type { TokenVerifier, VerifiedToken, VerifyRequirement } from '../verified-token';

declare global {
  // Express's own way to type what middleware adds to a request (as passport does).
  namespace Express {
    interface Request {
      /** Set by ledgerAuth: the verified token. */
      ledgerToken?: VerifiedToken;
    }
  }
}

/** The parts of Express's request and response used here (no dependency on express itself). */
interface Request {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  ledgerToken?: VerifiedToken;
}
interface Response {
  status(code: number): Response;
  set(headers: Record<string, string>): Response;
  json(body: unknown): unknown;
}

/**
 * Express middleware: refuses the request (401, 403 or 503, in the ledger's error shape) unless
 * it carries a token holding every scope; otherwise puts it on `req.ledgerToken`.
 *   app.get('/orders', ledgerAuth(verifier, { scopes: ['orders:read'] }), handler)
 */
export function ledgerAuth(verifier: TokenVerifier, requirement: VerifyRequirement = {}) {
  return (req: Request, res: Response, next: (error?: unknown) => void): void => {
    authorizeRequest(verifier, req, requirement).then((result) => {
      if (!result.allowed) {
        res.status(result.refusal.status).set(result.refusal.headers).json(result.refusal.body);
        return;
      }
      req.ledgerToken = result.token;
      next();
    }, next);
  };
}
