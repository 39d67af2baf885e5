import { ApiError, apiErrorFrom, getCsrfToken, type Query, withQuery } from './api';

export interface UploadOptions {
  query?: Query;
  /** For a raw body (a `Blob`); a `FormData` body gets its multipart type from the browser. */
  contentType?: string;
  /** Fraction of the request body sent, 0…1 (only while the size is known). */
  onProgress?: (fraction: number) => void;
  /** Aborting rejects with a `DOMException` named `AbortError`. */
  signal?: AbortSignal;
}

/**
 * `POST /api/v1{path}` through XMLHttpRequest, whose upload progress events `fetch` lacks. Same
 * session cookie, CSRF header and error envelope as `api()`.
 */
export function upload<T>(path: string, body: Blob | FormData, options: UploadOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(`/api/v1${path}`, options.query));
    xhr.setRequestHeader('accept', 'application/json');
    if (options.contentType) xhr.setRequestHeader('content-type', options.contentType);
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) options.onProgress?.(e.loaded / e.total);
    };
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      done();
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else reject(apiErrorFrom(xhr.status, parsed, xhr.statusText));
    };
    xhr.onerror = () => {
      done();
      // The server may also cut the connection on a body past its limit before answering 413.
      reject(
        new ApiError(
          0,
          'network_error',
          'The upload failed: the server cannot be reached, or it closed the connection (a file larger than it accepts can cause this).',
        ),
      );
    };
    xhr.onabort = () => {
      done();
      reject(abortError());
    };
    xhr.send(body);
  });
}

function abortError(): DOMException {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
