// Errors the API client raises: the server's refusal with its reason, sign-in needed, offline.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly retryAfter: number | null;

  constructor(status: number, body: unknown, fallback?: string, retryAfter: number | null = null) {
    const error = (body as {error?: {message?: string; code?: string; details?: Record<string, unknown>}})
      ?.error ?? {};
    super(error.message || fallback || `the server answered ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = error.code || `http_${status}`;
    this.details = error.details || {};
    this.retryAfter = retryAfter;
  }

  /** Validation errors, one per field, when the API refused the body (400 invalid_input). */
  get fieldErrors(): FieldError[] {
    const errors = this.details.errors;
    return Array.isArray(errors) ? errors as FieldError[] : [];
  }

  static async from(response: Response): Promise<ApiError> {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // not JSON (a proxy's error page): the status says enough
    }
    const retry = Number(response.headers.get("Retry-After"));
    return new ApiError(response.status, body, undefined, retry > 0 ? retry : null);
  }
}

/** Thrown when there is no way to sign in without the user (the sign-in page takes over). */
export class SignInRequired extends Error {
  constructor() {
    super("sign in to continue");
    this.name = "SignInRequired";
  }
}

export class Offline extends Error {
  constructor() {
    super("cannot reach the server — check your connection and try again");
    this.name = "Offline";
  }
}
