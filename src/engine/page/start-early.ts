import { startEngineWorkerEarly } from './engine-worker';

startEngineWorkerEarly();
