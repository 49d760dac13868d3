import { Router } from 'express';
import type { Container } from '../../container';

export function workflowRoutes(_container: Container): Router {
  return Router();
}
