export { compressResponses } from './compression';
export { apiNotFound, installErrorHandling } from './error-handler';
export { AppError, errors } from './errors';
export { installHostileInputGuard } from './hostile-input';
export { requestId } from './request-id';
export { installSecurity } from './security';
export { serveWebApp } from './web';
