// The sandbox platform's checks of a consent against its service: availability, subject type, terms, delivery, fields.
import type { ConsentBody } from '../protocol/transactions.ts';
import type { AccessContext } from './access.ts';
import type { Organization, Service } from './data.ts';
import { HttpError } from './http.ts';

/** The service can be consented to by this subject under these terms; answers the delivery it requires. */
export function assertConsentFits(service: Service, org: Organization, body: ConsentBody, access: AccessContext): 'self' | 'service-provider' {
  if (service.status === 'suspended' || service.status === 'terminated' || org.status === 'terminated') {
    throw new HttpError(409, 'SERVICE_NOT_AVAILABLE', `「${service.name_zh}」目前${service.status === 'suspended' ? '暫停' : '已終止'}介接，無法同意。`,
      `"${service.name_en}" is ${service.status === 'suspended' ? 'suspended' : 'terminated'}; consent is not possible.`, { service: service.id, status: service.status });
  }
  if (body.subject_type !== service.subject_type || access.subjectType !== service.subject_type) {
    throw new HttpError(403, 'WRONG_SUBJECT_TYPE',
      service.subject_type === 'legal' ? '此服務限企業代表人以工商憑證驗證後使用。' : '此服務限個人使用，企業代表人身分不適用。',
      service.subject_type === 'legal' ? 'This service is for company representatives verified with the business certificate.' : 'This service is for individuals; a company representative session does not qualify.',
      { subject_type_required: service.subject_type });
  }
  if (body.terms_sha256 !== service.terms.sha256) {
    throw new HttpError(409, 'TERMS_CHANGED', '服務條款已更新，請重新閱讀後再同意。', 'The terms have changed. Read them again before you consent.', { terms_sha256: service.terms.sha256, terms_version: service.terms.version });
  }
  const expectedDelivery = service.kind === 'self-download' ? 'self' : 'service-provider';
  if (body.delivery !== expectedDelivery) {
    throw new HttpError(400, 'WRONG_DELIVERY', '交付方式與服務類型不符。', `This service delivers to ${expectedDelivery === 'self' ? 'the subject' : 'its service provider'}.`, { delivery_required: expectedDelivery });
  }
  return expectedDelivery;
}

/** The fields consented for each of the service's datasets: every dataset covered, required fields kept, nothing unknown. */
export function chosenDatasets(service: Service, body: ConsentBody): { id: string; fields: string[] }[] {
  const datasets = service.datasets.map((sd) => {
    const chosen = body.datasets.find((d) => d.id === sd.id);
    if (!chosen) throw new HttpError(400, 'DATASET_MISSING', `同意內容缺少「${sd.name_zh}」。`, `The consent does not cover "${sd.name_en}".`, { dataset: sd.id });
    for (const f of chosen.fields) {
      if (!sd.fields.some((x) => x.name === f)) throw new HttpError(400, 'UNKNOWN_FIELD', `「${sd.name_zh}」沒有欄位 ${f}。`, `"${sd.name_en}" has no field ${f}.`, { dataset: sd.id, field: f });
    }
    for (const f of sd.fields) {
      if (f.required && !chosen.fields.includes(f.name)) {
        throw new HttpError(400, 'REQUIRED_FIELD_MISSING', `「${sd.name_zh}」的必要欄位「${f.label_zh}」未同意。`, `The required field "${f.label_en}" of "${sd.name_en}" was not consented.`, { dataset: sd.id, field: f.name });
      }
    }
    return { id: sd.id, fields: sd.fields.filter((f) => chosen.fields.includes(f.name)).map((f) => f.name) };
  });
  for (const d of body.datasets) {
    if (!service.datasets.some((sd) => sd.id === d.id)) throw new HttpError(400, 'UNKNOWN_DATASET', `此服務不含資料集 ${d.id}。`, `The service has no dataset ${d.id}.`, { dataset: d.id });
  }
  return datasets;
}
