// Straight to the platform, bypassing the app's consent screen: a self-download consent to every field of a service.
import type { Service } from '../../electron/sandbox/data.ts';

/** POST /transactions for `service` (delivery to the subject, all fields); answers the tx_id. */
export async function consentToEverything(client: { fetch(path: string, request?: { method?: string; json?: unknown }): Promise<Response> }, service: Service): Promise<string> {
  const res = await client.fetch('transactions', {
    method: 'POST',
    json: {
      service_id: service.id,
      datasets: service.datasets.map((d) => ({ id: d.id, fields: d.fields.map((f) => f.name) })),
      terms_sha256: service.terms.sha256,
      subject_type: 'natural',
      delivery: 'self',
    },
  });
  if (res.status !== 201) throw new Error(`consent answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { tx_id: string }).tx_id;
}
