/**
 * An error the API answers as `{ "error": { code, message, details? } }` with its status
 * (docs/api.md, "Errors"). Thrown by guards, pipes and the error mapping.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(code: string, message: string, details?: unknown): ApiError {
    return new ApiError(400, code, message, details);
  }

  static unauthorized(code: 'missing_credentials' | 'invalid_token', message: string): ApiError {
    // RFC 6750 §3: no error attribute when the request carried no credentials at all.
    const challenge = code === 'invalid_token' ? 'Bearer error="invalid_token"' : 'Bearer realm="token-ledger"';
    return new ApiError(401, code, message, undefined, { 'www-authenticate': challenge });
  }

  static forbidden(message: string, scope: string): ApiError {
    return new ApiError(
      403,
      'insufficient_scope',
      message,
      { requiredScope: scope },
      {
        'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"`,
      },
    );
  }

  static notFound(message: string): ApiError {
    return new ApiError(404, 'not_found', message);
  }
}
