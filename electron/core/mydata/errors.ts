// Every My data failure (MYDATA_*) in one table: its code, a zh-TW + English message that says what to do, and whether trying again can help.
import { AppFailure, type AppError } from '../../contract/errors.ts';
import { MyDataErrorCode as C, type MyDataErrorCodeValue } from '../../contract/package.ts';

/** What a message says beside its fixed words, for the codes that say more. */
interface Details {
  [C.NOT_TEXT]: { cause: 'not-table' | 'encoding' };
  [C.PDF_TOO_LARGE]: { mib: number };
  [C.IMPORT_FAILED]: { why: AppError | null };
  [C.IMPORT_NOT_VERIFIED]: { why: AppError | null };
}
type DetailOf<K extends MyDataErrorCodeValue> = K extends keyof Details ? [Details[K]] : [];

type Text = readonly [zh: string, en: string, retryable: boolean];

const TEXTS: { [K in MyDataErrorCodeValue]: (...detail: DetailOf<K>) => Text } = {
  [C.TASK_NOT_FOUND]: () => ['找不到這個下載工作，可能已經結束。', 'This download cannot be found; it may have finished already.', false],
  [C.SERVICE_UNKNOWN]: () => ['平臺目錄中找不到這項服務，無法下載。請重新整理服務目錄後再試一次。', 'This service is not in the platform directory, so it cannot be downloaded. Refresh the services and try again.', true],
  [C.NOT_TEXT]: ({ cause }) =>
    cause === 'encoding'
      ? ['這個檔案不是 UTF-8、UTF-16 或 Big5 文字，無法在畫面上顯示。請用「儲存檔案」後以其他程式開啟。', 'This file is not UTF-8, UTF-16 or Big5 text and cannot be shown here. Use "Save file" and open it with another program.', false]
      : ['這個檔案不是可在畫面上顯示的表格資料（JSON 或 CSV）。請用「儲存檔案」存到您選擇的資料夾後，以合適的程式開啟。', 'This file is not table data the screen can show (JSON or CSV). Use "Save file" to put it in a folder you choose and open it with a suitable program.', false],
  [C.NOT_PDF]: () => [
    '這個檔案不是 PDF，無法在 PDF 檢視器中顯示。請用「儲存檔案」存到您選擇的資料夾後，以合適的程式開啟。',
    'This file is not a PDF, so the PDF viewer cannot show it. Use "Save file" to put it in a folder you choose and open it with a suitable program.',
    false,
  ],
  [C.PDF_TOO_LARGE]: ({ mib }) => [
    `這個 PDF 超過 ${mib} MiB，太大而無法在程式內顯示。請用「儲存檔案」存到您選擇的資料夾，再用您的 PDF 閱讀器開啟。`,
    `This PDF is larger than ${mib} MiB, too large to show inside the app. Use "Save file" to put it in a folder you choose and open it with your PDF reader.`,
    false,
  ],
  [C.IMPORT_EXPIRED]: () => ['選擇的檔案已失效，請重新選擇要匯入的檔案。', 'The file choice has expired. Choose the file to import again.', true],
  [C.IMPORT_FAILED]: ({ why }) => [`資料包未通過驗證，未匯入任何內容。${why ? why.message_zh : ''}`, `The package did not pass verification and nothing was imported. ${why ? why.message_en : ''}`, false],
  [C.IMPORT_NOT_VERIFIED]: ({ why }) => [
    `這份資料未經驗證，尚未匯入。${why ? why.message_zh : ''}若您仍要保存，它會一直標示為「未驗證」及原因。`,
    `This data is not verified and was not imported yet. ${why ? why.message_en : ''} If you still want to keep it, it will always be labelled "not verified", with why.`,
    true,
  ],
  [C.PASSWORD_FORMAT]: () => [
    '身分證統一編號格式或檢查碼不正確：應為 1 個英文字母加 9 碼數字（例如 A123456789）。請確認後再試一次。',
    'The national ID number is not valid (format or check digit): one letter and 9 digits (for example A123456789). Check it and try again.',
    true,
  ],
};

export function myDataFailure<K extends MyDataErrorCodeValue>(code: K, ...detail: DetailOf<K>): AppFailure {
  const [zh, en, retryable] = (TEXTS[code] as (...d: DetailOf<K>) => Text)(...detail);
  return new AppFailure({ code, message_zh: zh, message_en: en, retryable });
}
