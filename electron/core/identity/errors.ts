// Every identity failure as an AppFailure with its own stable code and a zh-TW + English message that says what to do.
import { AppFailure } from '../../contract/errors.ts';
import { IdentityErrorCode as C, type IdentityErrorCodeValue } from '../../contract/identity.ts';

interface Message { zh: string; en: string; retryable: boolean }

const MESSAGES: Record<IdentityErrorCodeValue, Message> = {
  [C.ISSUER_NOT_ACCREDITED]: { zh: '這個身分驗證機構不在平臺認可的名單上，本程式不會使用它。請選擇清單中的驗證機構。', en: 'This identity provider is not on the platform’s accredited list, so the app will not use it. Choose a provider from the list.', retryable: false },
  [C.PLATFORM_UNREACHABLE]: { zh: '無法連線到 MyData 平臺取得認可的身分驗證機構清單。請檢查網路後再試一次。', en: 'Could not reach the MyData platform to learn its accredited identity providers. Check the network and try again.', retryable: true },
  [C.PLATFORM_METADATA_INVALID]: { zh: 'MyData 平臺提供的設定資料格式不正確，無法進行身分驗證。請稍後再試，或回報問題。', en: 'The MyData platform’s metadata is malformed, so verification cannot start. Try again later or report the problem.', retryable: true },
  [C.IDP_UNREACHABLE]: { zh: '無法連線到身分驗證機構。請檢查網路後再試一次，或改用其他驗證機構。', en: 'Could not reach the identity provider. Check the network and try again, or use another provider.', retryable: true },
  [C.IDP_METADATA_INVALID]: { zh: '身分驗證機構的設定不符合安全要求（簽發者、PAR、PKCE 或 DPoP），本程式拒絕使用。請改用其他驗證機構。', en: 'The identity provider’s configuration fails the security requirements (issuer, PAR, PKCE or DPoP), so the app refuses it. Use another provider.', retryable: false },
  [C.METHOD_NOT_QUALIFYING]: { zh: '所選的驗證方式不符合這次需要的等級或身分類型。請選擇清單中可用的方式。', en: 'The chosen method does not meet the level or subject type needed this time. Choose one of the methods offered.', retryable: false },
  [C.NO_QUALIFYING_METHOD]: { zh: '這個驗證機構沒有符合所需等級的驗證方式。請改用其他驗證機構。', en: 'This provider offers no method at the level needed. Use another provider.', retryable: false },
  [C.LOOPBACK_UNAVAILABLE]: { zh: '無法在本機開啟接收驗證結果的連接埠。請關閉可能占用連接埠的程式後再試一次。', en: 'Could not open the local port that receives the verification result. Close whatever may be using it and try again.', retryable: true },
  [C.TIMEOUT]: { zh: '等候身分驗證超過時限，這次驗證已取消。請重新開始驗證。', en: 'The verification took too long and was cancelled. Start the verification again.', retryable: true },
  [C.CANCELLED]: { zh: '已取消身分驗證。需要時請重新開始。', en: 'The verification was cancelled. Start again when you are ready.', retryable: true },
  [C.CANCELLED_AT_IDP]: { zh: '您在身分驗證機構的頁面取消或拒絕了驗證。若要繼續，請重新開始驗證。', en: 'You cancelled or declined at the identity provider’s page. To continue, start the verification again.', retryable: true },
  [C.IDP_ERROR]: { zh: '身分驗證機構回報錯誤，驗證未完成。請稍後再試，或改用其他驗證機構。', en: 'The identity provider reported an error and the verification did not complete. Try again later or use another provider.', retryable: true },
  [C.STATE_MISMATCH]: { zh: '收到的驗證結果不屬於這次驗證（state 不符），已拒絕以防冒用。請重新開始驗證。', en: 'The result received does not belong to this verification (state mismatch) and was refused to prevent forgery. Start again.', retryable: true },
  [C.ISSUER_MISMATCH]: { zh: '驗證結果來自另一個驗證機構（iss 不符），可能是混淆攻擊，已拒絕。請重新開始驗證。', en: 'The result came from a different identity provider (iss mismatch), a possible mix-up attack, and was refused. Start again.', retryable: true },
  [C.CODE_MISSING]: { zh: '驗證結果缺少授權碼，無法完成。請重新開始驗證。', en: 'The result carries no authorization code, so it cannot complete. Start again.', retryable: true },
  [C.CODE_REPLAYED]: { zh: '這個授權碼已經使用過，為防重放攻擊已拒絕。請重新開始驗證。', en: 'This authorization code was already used and was refused to prevent a replay. Start again.', retryable: true },
  [C.PKCE_REJECTED]: { zh: '驗證機構拒絕兌換授權碼：它不是發給這次驗證的（PKCE 驗證失敗）或已失效。請重新開始驗證。', en: 'The provider refused to redeem the code: it was not issued to this verification (PKCE check failed) or has lapsed. Start again.', retryable: true },
  [C.NONCE_MISMATCH]: { zh: '身分憑證不屬於這次驗證（nonce 不符），已拒絕。請重新開始驗證。', en: 'The ID token does not belong to this verification (nonce mismatch) and was refused. Start again.', retryable: true },
  [C.ID_TOKEN_UNSIGNED]: { zh: '身分憑證沒有使用約定的簽章演算法（例如未簽章），已拒絕。請重新開始驗證；若一再發生，請回報驗證機構。', en: 'The ID token is not signed with the agreed algorithm (for example unsigned) and was refused. Start again; if it recurs, report it to the provider.', retryable: true },
  [C.ID_TOKEN_BAD_SIGNATURE]: { zh: '身分憑證的簽章驗證失敗，可能遭竄改，已拒絕。請重新開始驗證；若一再發生，請回報驗證機構。', en: 'The ID token’s signature does not verify; it may have been tampered with and was refused. Start again; if it recurs, report it to the provider.', retryable: true },
  [C.ID_TOKEN_EXPIRED]: { zh: '身分憑證已過期，已拒絕。請確認電腦時間正確後重新驗證。', en: 'The ID token has expired and was refused. Check the computer’s clock and verify again.', retryable: true },
  [C.ID_TOKEN_INVALID]: { zh: '身分憑證的內容不正確（簽發者、對象或必要欄位），已拒絕。請重新開始驗證。', en: 'The ID token’s contents are wrong (issuer, audience or required claims) and it was refused. Start again.', retryable: true },
  [C.AUTH_TOO_OLD]: { zh: '驗證機構使用的是較早的登入，而非這次新的驗證。請重新驗證。', en: 'The provider reused an earlier sign-in instead of a fresh verification. Verify again.', retryable: true },
  [C.ACR_INSUFFICIENT]: { zh: '驗證機構回報的驗證方式低於所需等級，已拒絕。請以符合等級的方式重新驗證。', en: 'The provider reports a method weaker than the level needed, so it was refused. Verify again with a qualifying method.', retryable: true },
  [C.SUBJECT_MISMATCH]: { zh: '驗證結果的身分類型或證號不符合要求（例如企業代表人未使用工商憑證，或證號檢查碼錯誤），已拒絕。請重新驗證。', en: 'The verified identity does not fit the request (for example a company representative without the business certificate, or an ID with a bad checksum) and was refused. Verify again.', retryable: true },
  [C.TOKEN_NOT_DPOP_BOUND]: { zh: '驗證機構發出的存取權杖未綁定本機金鑰（DPoP），為安全起見已拒絕。請改用其他驗證機構。', en: 'The provider issued an access token not bound to this device’s key (DPoP), so it was refused for safety. Use another provider.', retryable: false },
  [C.CALLBACK_REPEATED]: { zh: '這次驗證已經收到結果，重複送回的結果已忽略。請回到 MyData Desktop。', en: 'This verification already received its result; the repeated one was ignored. Return to MyData Desktop.', retryable: false },
  [C.CALLBACK_UNEXPECTED]: { zh: '這個要求不是本次身分驗證的結果（網址或 state 不符），已拒絕；驗證仍在等候正確的結果。請回到 MyData Desktop 繼續。', en: 'This request is not the result of the verification in progress (wrong address or state) and was refused; the verification is still waiting for its result. Return to MyData Desktop to continue.', retryable: false },
  [C.NO_SESSION]: { zh: '尚未驗證身分。請先驗證身分。', en: 'You have not verified your identity. Verify first.', retryable: true },
  [C.SESSION_EXPIRED]: { zh: '身分驗證已逾時。請重新驗證身分。', en: 'Your verification has expired. Verify your identity again.', retryable: true },
  [C.PLATFORM_ORIGIN_REFUSED]: { zh: '存取權杖只會送往發出它的 MyData 平臺，這個網址不是，已拒絕。', en: 'The access token is only ever sent to the MyData platform it is meant for; this address is not it, so the request was refused.', retryable: false },
  [C.UNKNOWN_TRANSACTION]: { zh: '找不到這次驗證，可能已結束。請重新開始驗證。', en: 'This verification was not found; it may have ended. Start again.', retryable: false },
};

export function identityFailure(code: IdentityErrorCodeValue, cause?: unknown): AppFailure {
  const m = MESSAGES[code];
  return new AppFailure({ code, message_zh: m.zh, message_en: m.en, retryable: m.retryable }, cause === undefined ? undefined : { cause });
}

export function identityMessage(code: IdentityErrorCodeValue): Message {
  return MESSAGES[code];
}

export function isIdentityFailure(error: unknown, code?: IdentityErrorCodeValue): error is AppFailure {
  return error instanceof AppFailure && (code === undefined || error.code === code);
}
