import { beforeAll } from 'vitest';
import { fixtureSuiteOnGpu } from './helpers/fixture-suite.js';
import { gpu } from './helpers/setup.js';

beforeAll(gpu);

fixtureSuiteOnGpu(['reduce', 'shape', 'matmul']);
