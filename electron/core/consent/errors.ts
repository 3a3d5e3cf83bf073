// Every consent failure as an AppFailure with its own code and a zh-TW + English message that says what to do.
import { AppFailure } from '../../contract/errors.ts';
import { ConsentErrorCode as C, type ConsentErrorCodeValue } from '../../contract/consent.ts';

interface Message { zh: string; en: string; retryable: boolean }

const MESSAGES: Record<ConsentErrorCodeValue, Message> = {
  [C.UNKNOWN_SERVICE]: { zh: '平臺目錄中找不到這項服務，可能已下架。請重新整理服務目錄後再試。', en: 'The platform’s catalogue has no such service; it may have been withdrawn. Refresh the catalogue and try again.', retryable: true },
  [C.TERMS_NOT_SHOWN]: { zh: '服務條款尚未完整顯示，不能同意。請先閱讀完整條款。', en: 'The terms have not been shown in full, so consent is not possible yet. Read the full terms first.', retryable: true },
  [C.TERMS_CHANGED]: { zh: '服務條款已更新，與畫面上顯示的版本不同。請重新閱讀新版條款後再決定。', en: 'The terms have changed since they were shown. Read the new version before you decide.', retryable: true },
  [C.REQUIRED_FIELD_DECLINED]: { zh: '必要欄位不能拒絕提供。若不同意提供必要欄位，請選擇「拒絕」。', en: 'A required field cannot be declined. If you do not agree to give it, choose Refuse.', retryable: false },
  [C.UNKNOWN_FIELD]: { zh: '所選的欄位不屬於這項服務。請重新開啟同意畫面。', en: 'A chosen field does not belong to this service. Open the consent screen again.', retryable: false },
  [C.NOT_VERIFIED]: { zh: '尚未驗證身分，或驗證已逾時。請先完成身分驗證再決定。', en: 'You have not verified your identity, or the verification has expired. Verify first, then decide.', retryable: true },
  [C.STEP_UP_NEEDED]: { zh: '目前的身分驗證等級不足，或未涵蓋這些資料集。請以符合等級的方式重新驗證。', en: 'Your current verification is not strong enough, or does not cover these datasets. Verify again with a qualifying method.', retryable: true },
  [C.WRONG_SUBJECT_TYPE]: { zh: '目前的驗證身分類型（個人或企業代表人）不適用這項服務。請以正確的身分類型重新驗證。', en: 'Your current verification is for the other kind of subject (individual or company representative). Verify again as the right kind.', retryable: true },
  [C.REQUEST_MISSING]: { zh: '這項服務的資料交付給服務提供者，必須由服務提供者發出請求。請回到服務提供者的網站開始申請。', en: 'This service delivers to a service provider, which must send you a request. Start the application at the service provider’s site.', retryable: false },
  [C.REQUEST_MISMATCH]: { zh: '這個請求不屬於所選的服務。請回到服務提供者的網站重新申請。', en: 'This request belongs to another service. Start again at the service provider’s site.', retryable: false },
  [C.REQUEST_UNAVAILABLE]: { zh: '平臺找不到這個服務提供者請求，或它已過期、已回覆過。請回到服務提供者的網站重新申請。', en: 'The platform does not know this service-provider request, or it has expired or been answered. Start again at the service provider’s site.', retryable: false },
  [C.PLATFORM_REFUSED]: { zh: '平臺拒絕了這次同意，資料沒有傳送。請依下方平臺說明處理後再試。', en: 'The platform refused this consent and no data moved. Follow the platform’s explanation below and try again.', retryable: true },
  [C.PLATFORM_UNREACHABLE]: { zh: '無法連線到 MyData 平臺，沒有傳送任何同意。請檢查網路後再試一次。', en: 'The MyData platform could not be reached, so no consent was sent. Check the network and try again.', retryable: true },
  [C.STATUS_TIMEOUT]: { zh: '平臺尚未回報交付結果。交易仍在進行，請稍後在此畫面或分享紀錄查看結果。', en: 'The platform has not reported the delivery yet. The transaction continues; check again here or in the history later.', retryable: true },
  [C.UNKNOWN_TRANSACTION]: { zh: '本次執行中找不到這筆交易。請查看分享紀錄與收據。', en: 'This transaction is not known in this run of the app. See the history and the receipts.', retryable: false },
  [C.RETURN_NOT_ALLOWED]: { zh: '返回網址不在服務提供者登記的網域上，為安全起見不會開啟。請自行前往服務提供者的網站。', en: 'The return address is not on the service provider’s registered domain, so it will not be opened, for your safety. Go to the provider’s site yourself.', retryable: false },
  [C.UNKNOWN_RECEIPT]: { zh: '找不到這張收據。', en: 'No such receipt.', retryable: false },
  [C.RECEIPT_DAMAGED]: { zh: '這張收據無法解密或已損毀，無法開啟。其餘收據不受影響。', en: 'This receipt cannot be decrypted or is damaged, so it cannot be opened. Other receipts are unaffected.', retryable: false },
};

export function consentFailure(code: ConsentErrorCodeValue, options: { cause?: unknown; detail?: { zh: string; en: string } } = {}): AppFailure {
  const m = MESSAGES[code];
  const zh = options.detail ? `${m.zh}（${options.detail.zh}）` : m.zh;
  const en = options.detail ? `${m.en} (${options.detail.en})` : m.en;
  return new AppFailure({ code, message_zh: zh, message_en: en, retryable: m.retryable }, options.cause === undefined ? undefined : { cause: options.cause });
}

