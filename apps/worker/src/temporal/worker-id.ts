import { hostname } from 'node:os';

/** Identifies this worker process in source_task_queues (several replicas may run). */
export const WORKER_ID = `${hostname()}:${process.pid}`;
