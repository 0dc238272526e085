// Open long-polls as the Temporal server sees them: the frontend's `service_pending_requests` gauge,
// read from the dev server's Prometheus endpoint. Costs the worker nothing (no client-side metrics).

export interface OpenPolls {
  activity: number;
  workflow: number;
}

const GAUGE = /^service_pending_requests\{([^}]*)\}\s+(\S+)$/;

export async function openPolls(metricsUrl: string, namespace = 'default'): Promise<OpenPolls> {
  const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) {
    throw new Error(`${metricsUrl} answered ${response.status}`);
  }
  const polls: OpenPolls = { activity: 0, workflow: 0 };
  for (const line of (await response.text()).split('\n')) {
    const [, labels, value] = GAUGE.exec(line) ?? [];
    if (!labels?.includes(`namespace="${namespace}"`) || !labels.includes('service_name="frontend"')) {
      continue;
    }
    if (labels.includes('operation="PollActivityTaskQueue"')) {
      polls.activity += Number(value);
    } else if (labels.includes('operation="PollWorkflowTaskQueue"')) {
      polls.workflow += Number(value);
    }
  }
  return polls;
}

/** `now` minus `base` (the server's own pollers in the namespace, counted before the worker started). */
export function pollsSince(base: OpenPolls, now: OpenPolls): OpenPolls {
  return { activity: now.activity - base.activity, workflow: now.workflow - base.workflow };
}
