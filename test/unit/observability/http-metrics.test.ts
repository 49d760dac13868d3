import type { Request } from 'express';
import { routePattern, UNMATCHED_ROUTE } from '../../../src/observability/http-metrics';
import { parseMetrics, sampleValue } from '../../helpers/prometheus-text';

const req = (fields: { route?: string; baseUrl?: string; originalUrl: string }): Request =>
  ({
    route: fields.route === undefined ? undefined : { path: fields.route },
    baseUrl: fields.baseUrl ?? '',
    originalUrl: fields.originalUrl,
  }) as unknown as Request;

describe('the route label of an HTTP request', () => {
  it('is the mount point and the route pattern, never the raw path', () => {
    expect(
      routePattern(req({ route: '/contacts/:id', baseUrl: '/api/v1', originalUrl: '/api/v1/contacts/42?x=1' })),
    ).toBe('/api/v1/contacts/:id');
  });

  it('recovers the mount point when an error left the router (baseUrl reset)', () => {
    expect(routePattern(req({ route: '/contacts/:id/tags/:tag', originalUrl: '/api/v1/contacts/42/tags/vip' }))).toBe(
      '/api/v1/contacts/:id/tags/:tag',
    );
    expect(routePattern(req({ route: '/:token', originalUrl: '/book/secret-token/' }))).toBe('/book/:token');
    expect(routePattern(req({ route: '/healthz', originalUrl: '/healthz' }))).toBe('/healthz');
  });

  it('has a token in the mount point replaced as well', () => {
    expect(
      routePattern(req({ route: '/', baseUrl: '/book/cancel/secret-token', originalUrl: '/book/cancel/secret-token' })),
    ).toBe('/book/cancel/:token/');
  });

  it('is "unmatched" when no route matched', () => {
    expect(routePattern(req({ originalUrl: '/book/some-token' }))).toBe(UNMATCHED_ROUTE);
  });
});

describe('reading the Prometheus text format', () => {
  it('finds samples by name and exact labels', () => {
    const samples = parseMetrics('# HELP x y\n# TYPE x gauge\nx{a="1",b="two words"} 3\nx{a="1"} 4\ny 5\n');
    expect(sampleValue(samples, 'x', { a: '1', b: 'two words' })).toBe(3);
    expect(sampleValue(samples, 'x', { a: '1' })).toBe(4);
    expect(sampleValue(samples, 'y')).toBe(5);
    expect(sampleValue(samples, 'x', { a: '2' })).toBeUndefined();
  });
});
