export { apiNotFound, installErrorHandling } from './error-handler';
export { AppError, errors } from './errors';
export { requestId } from './request-id';
export { serveWebApp } from './web';
