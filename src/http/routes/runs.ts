import { Router } from 'express';
import type { Container } from '../../container';

export function runRoutes(_container: Container): Router {
  return Router();
}
