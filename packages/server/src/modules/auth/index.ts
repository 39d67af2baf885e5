export { authJobs } from './auth.jobs';
export { authRoutes } from './auth.routes';
export { type AuthContext, type AuthService, createAuthService } from './auth.service';
export { CSRF_HEADER, installAuthGuard, type RouteAuth, SESSION_COOKIE } from './guard';
