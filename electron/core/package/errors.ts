// The package verifier's named failures: one stable code per hostile case or verification problem (ARCHITECTURE §6, §9).
import { AppFailure, type AppError } from '../../contract/errors.ts';

export const PackageErrorCode = {
  // Archive structure (the whole package is refused).
  NOT_A_ZIP: 'PACKAGE_NOT_A_ZIP',
  TRUNCATED: 'PACKAGE_TRUNCATED',
  NAME_TRAVERSAL: 'PACKAGE_NAME_TRAVERSAL',
  NAME_ABSOLUTE: 'PACKAGE_NAME_ABSOLUTE',
  NAME_DRIVE_LETTER: 'PACKAGE_NAME_DRIVE_LETTER',
  NAME_BACKSLASH: 'PACKAGE_NAME_BACKSLASH',
  NAME_INVALID: 'PACKAGE_NAME_INVALID',
  SYMLINK_ENTRY: 'PACKAGE_SYMLINK_ENTRY',
  DUPLICATE_NAME: 'PACKAGE_DUPLICATE_NAME',
  DUPLICATE_NAME_UNICODE: 'PACKAGE_DUPLICATE_NAME_UNICODE',
  DUPLICATE_NAME_CASE: 'PACKAGE_DUPLICATE_NAME_CASE',
  SIZE_MISMATCH: 'PACKAGE_SIZE_MISMATCH',
  COMPRESSION_RATIO: 'PACKAGE_COMPRESSION_RATIO',
  TOO_MANY_ENTRIES: 'PACKAGE_TOO_MANY_ENTRIES',
  TOO_LARGE: 'PACKAGE_TOO_LARGE',
  NESTING_TOO_DEEP: 'PACKAGE_NESTING_TOO_DEEP',
  OVERLAPPING_ENTRIES: 'PACKAGE_OVERLAPPING_ENTRIES',
  AMBIGUOUS_ARCHIVE: 'PACKAGE_AMBIGUOUS_ARCHIVE',
  CORRUPT_ENTRY: 'PACKAGE_CORRUPT_ENTRY',
  UNSUPPORTED_ENTRY: 'PACKAGE_UNSUPPORTED_ENTRY',
  META_FILE_TOO_LARGE: 'PACKAGE_META_FILE_TOO_LARGE',
  PASSWORD_REQUIRED: 'PACKAGE_PASSWORD_REQUIRED',
  WRONG_PASSWORD: 'PACKAGE_WRONG_PASSWORD',
  UNKNOWN_LAYOUT: 'PACKAGE_UNKNOWN_LAYOUT',
  READ_FAILED: 'PACKAGE_READ_FAILED',
  CANCELLED: 'PACKAGE_CANCELLED',
  // Manifests.
  MANIFEST_MISSING: 'PACKAGE_MANIFEST_MISSING',
  MANIFEST_INVALID: 'PACKAGE_MANIFEST_INVALID',
  // Per provider part (kept in the provider's verdict, not thrown).
  PART_MISSING: 'PACKAGE_PART_MISSING',
  DATASET_NOT_DELIVERED: 'PACKAGE_DATASET_NOT_DELIVERED',
  EXTRA_FILE: 'PACKAGE_EXTRA_FILE',
  MISSING_FILE: 'PACKAGE_MISSING_FILE',
  DIGEST_MISMATCH: 'PACKAGE_DIGEST_MISMATCH',
  SIGNATURE_MISSING: 'PACKAGE_SIGNATURE_MISSING',
  SIGNATURE_INVALID: 'PACKAGE_SIGNATURE_INVALID',
  CERTIFICATE_MISSING: 'PACKAGE_CERTIFICATE_MISSING',
  CERTIFICATE_INVALID: 'PACKAGE_CERTIFICATE_INVALID',
  CERTIFICATE_EXPIRED: 'PACKAGE_CERTIFICATE_EXPIRED',
  CERTIFICATE_UNTRUSTED: 'PACKAGE_CERTIFICATE_UNTRUSTED',
  // Signer policy and the path to a trust anchor.
  CERTIFICATE_IS_CA: 'PACKAGE_CERTIFICATE_IS_CA',
  CERTIFICATE_IS_ANCHOR: 'PACKAGE_CERTIFICATE_IS_ANCHOR',
  CERTIFICATE_WEAK_KEY: 'PACKAGE_CERTIFICATE_WEAK_KEY',
  CERTIFICATE_WEAK_ALGORITHM: 'PACKAGE_CERTIFICATE_WEAK_ALGORITHM',
  CERTIFICATE_KEY_USAGE: 'PACKAGE_CERTIFICATE_KEY_USAGE',
  CHAIN_NOT_CA: 'PACKAGE_CHAIN_NOT_CA',
  CHAIN_PATH_LENGTH: 'PACKAGE_CHAIN_PATH_LENGTH',
  CHAIN_EXPIRED: 'PACKAGE_CHAIN_EXPIRED',
  // Who may sign what, and what the signed content says.
  SIGNER_NOT_BOUND: 'PACKAGE_SIGNER_NOT_BOUND',
  SIGNER_UNKNOWN: 'PACKAGE_SIGNER_UNKNOWN',
  PART_MISMATCH: 'PACKAGE_PART_MISMATCH',
  SUBJECT_MISMATCH: 'PACKAGE_SUBJECT_MISMATCH',
  TRANSACTION_MISMATCH: 'PACKAGE_TRANSACTION_MISMATCH',
  META_DUPLICATE: 'PACKAGE_META_DUPLICATE',
  // Summary of a verdict that is not fully verified.
  VERIFICATION_FAILED: 'PACKAGE_VERIFICATION_FAILED',
  // The official website's unsigned downloads (flat zip of PDF/CSV/JSON, ID-encrypted PDFs).
  WRONG_ID: 'PACKAGE_WRONG_ID',
  UNKNOWN_FORMAT: 'PACKAGE_UNKNOWN_FORMAT',
  SIGNED_LAYOUT: 'PACKAGE_SIGNED_LAYOUT',
  PDF_INVALID: 'PACKAGE_PDF_INVALID',
  PDF_ENCRYPTION_UNSUPPORTED: 'PACKAGE_PDF_ENCRYPTION_UNSUPPORTED',
  FILE_TOO_LARGE: 'PACKAGE_FILE_TOO_LARGE',
} as const;
export type PackageErrorCode = (typeof PackageErrorCode)[keyof typeof PackageErrorCode];

type Texts = readonly [zh: string, en: string, retryable?: boolean];

const REDOWNLOAD_ZH = '請勿使用這個檔案，改從 MyData 重新下載資料包。';
const REDOWNLOAD_EN = 'Do not use this file; download the package from MyData again.';

/** Message builders; `what` is an entry name or a short detail, never personal data. */
const texts: Record<PackageErrorCode, (what: string) => Texts> = {
  PACKAGE_NOT_A_ZIP: () => ['這個檔案不是 ZIP 壓縮檔，無法當作 MyData 資料包讀取。請確認選擇的是從 MyData 下載的 .zip 檔。', 'This file is not a ZIP archive, so it cannot be read as a MyData package. Make sure you picked the .zip file downloaded from MyData.'],
  PACKAGE_TRUNCATED: () => [`資料包不完整（檔案被截斷或下載中斷）。${REDOWNLOAD_ZH}`, `The package is incomplete (the file was cut short or the download was interrupted). ${REDOWNLOAD_EN}`, true],
  PACKAGE_NAME_TRAVERSAL: (w) => [`資料包中的項目「${w}」含有「..」，會跳出資料夾，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" contains "..", which would escape its folder, so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_NAME_ABSOLUTE: (w) => [`資料包中的項目「${w}」是絕對路徑，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" is an absolute path, so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_NAME_DRIVE_LETTER: (w) => [`資料包中的項目「${w}」含有磁碟機代號（如 C:），因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" contains a drive letter (such as C:), so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_NAME_BACKSLASH: (w) => [`資料包中的項目「${w}」含有反斜線（\\），在 Windows 上會被當成路徑分隔，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" contains a backslash (\\), which Windows treats as a path separator, so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_NAME_INVALID: (w) => [`資料包中的項目名稱「${w}」不合法（空白、控制字元或空的路徑段），因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry name "${w}" is not valid (empty, control characters or an empty path segment), so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_SYMLINK_ENTRY: (w) => [`資料包中的項目「${w}」是符號連結，可能指向資料包以外的檔案，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" is a symbolic link, which could point outside the package, so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_DUPLICATE_NAME: (w) => [`資料包中有兩個同名項目「${w}」，無法確定哪一個才是真的，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The package holds two entries named "${w}", so which one is genuine cannot be told; the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_DUPLICATE_NAME_UNICODE: (w) => [`資料包中有兩個項目的名稱「${w}」只差在 Unicode 組合方式，看起來完全相同，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `Two entries are named "${w}" in different Unicode forms that look identical, so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_DUPLICATE_NAME_CASE: (w) => [`資料包中有兩個項目的名稱「${w}」只差在大小寫，在 Windows 與 macOS 上會互相覆蓋，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `Two entries are named "${w}" differing only in letter case, which overwrite each other on Windows and macOS, so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_SIZE_MISMATCH: (w) => [`資料包中的項目「${w}」解壓後的大小與宣告不符（宣告的大小造假），已停止讀取並拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" expands to a different size than it declares (its declared size lies); reading stopped and the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_COMPRESSION_RATIO: (w) => [`資料包中的項目「${w}」壓縮比異常地高（疑似壓縮炸彈），為保護您的電腦未解壓並拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" has an abnormally high compression ratio (a suspected zip bomb); to protect your computer it was not expanded and the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_TOO_MANY_ENTRIES: (w) => [`資料包中的項目太多（${w}），超過安全上限，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The package holds too many entries (${w}), more than the safety limit, so it was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_TOO_LARGE: (w) => [`資料包解壓後的總大小（${w}）超過安全上限，因此拒絕整個資料包。若確定檔案來源可信，可在設定中提高上限後再匯入。`, `The package would expand to more than the safety limit (${w}), so it was refused. If you trust where the file came from, raise the limit in the settings and import it again.`],
  PACKAGE_NESTING_TOO_DEEP: (w) => [`資料包中的「${w}」是壓縮檔中的壓縮檔的壓縮檔，超過允許的一層巢狀，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `"${w}" is an archive nested more than one level deep (only the package's provider parts may be archives), so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_OVERLAPPING_ENTRIES: (w) => [`資料包中的項目「${w}」與其他項目共用同一段資料（重疊項目，常見於壓縮炸彈），因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" shares its data with another entry (overlapping entries, a zip-bomb technique), so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_AMBIGUOUS_ARCHIVE: (w) => [`資料包的結構有歧義（${w}），不同程式可能讀出不同內容，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The package's structure is ambiguous (${w}): different programs could read different contents, so it was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_CORRUPT_ENTRY: (w) => [`資料包中的項目「${w}」已損毀（檢查碼或壓縮資料錯誤），因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `The entry "${w}" is damaged (bad checksum or compressed data), so the whole package was refused. ${REDOWNLOAD_EN}`, true],
  PACKAGE_UNSUPPORTED_ENTRY: (w) => [`資料包中的項目「${w}」使用了不支援的壓縮或加密方式，無法讀取。請確認檔案是從 MyData 下載的原始資料包。`, `The entry "${w}" uses an unsupported compression or encryption method and cannot be read. Make sure the file is the original package downloaded from MyData.`],
  PACKAGE_META_FILE_TOO_LARGE: (w) => [`資料包中的「${w}」（清單、簽章或憑證）大得不合理，因此拒絕整個資料包。${REDOWNLOAD_ZH}`, `"${w}" (a manifest, signature or certificate) is unreasonably large, so the whole package was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_PASSWORD_REQUIRED: () => ['這個資料包已加密。請輸入您的身分證統一編號（英文字母大寫）作為密碼後再匯入；密碼只用於這次解開，不會被保存。', 'This package is encrypted. Enter your national ID number (capital letter first) as the password and import it again; it is used only to open this file and is never stored.'],
  PACKAGE_WRONG_PASSWORD: () => ['密碼不正確，無法解開資料包。請確認輸入的是下載這個資料包的當事人的身分證統一編號（英文字母大寫，共 10 碼）後再試一次。', 'The password is not correct, so the package could not be opened. Check that you entered the national ID number of the person who downloaded this package (10 characters, capital letter first) and try again.', true],
  PACKAGE_UNKNOWN_LAYOUT: () => ['這個壓縮檔不是 MyData 資料包（找不到 META-INFO/manifest.xml 清單）。請確認選擇的是從 MyData 下載的資料包。', 'This archive is not a MyData package (it has no META-INFO/manifest.xml). Make sure you picked a package downloaded from MyData.'],
  PACKAGE_READ_FAILED: (w) => [`讀取資料包檔案時發生錯誤（${w}）。請確認檔案仍在原處且磁碟正常後再試一次。`, `The package file could not be read (${w}). Check that the file is still there and the disk works, then try again.`, true],
  PACKAGE_CANCELLED: () => ['驗證已取消，未保存任何內容。需要時可重新開始。', 'Verification was cancelled and nothing was kept. Start it again when you are ready.'],
  PACKAGE_MANIFEST_MISSING: (w) => [`資料包缺少清單檔「${w}」，無法驗證內容。${REDOWNLOAD_ZH}`, `The package lacks its manifest "${w}", so its contents cannot be verified. ${REDOWNLOAD_EN}`],
  PACKAGE_MANIFEST_INVALID: (w) => [`資料包的清單檔格式不正確（${w}），無法驗證內容。${REDOWNLOAD_ZH}`, `The package's manifest is malformed (${w}), so its contents cannot be verified. ${REDOWNLOAD_EN}`],
  PACKAGE_PART_MISSING: (w) => [`清單列出的資料提供者檔案「${w}」不在資料包中。${REDOWNLOAD_ZH}`, `The provider part "${w}" listed in the manifest is not in the package. ${REDOWNLOAD_EN}`],
  PACKAGE_DATASET_NOT_DELIVERED: (w) => [`這份資料集未能由資料提供者提供（狀態碼 ${w}）。其他資料集不受影響；如需這份資料，請稍後再向 MyData 申請一次。`, `This dataset was not delivered by its data provider (status code ${w}). The other datasets are not affected; to get this one, request it from MyData again later.`],
  PACKAGE_EXTRA_FILE: (w) => [`資料包中的「${w}」不在簽署的清單上（多出的檔案），未經資料提供者擔保。${REDOWNLOAD_ZH}`, `"${w}" is not listed in the signed manifest (an extra file), so the data provider does not vouch for it. ${REDOWNLOAD_EN}`],
  PACKAGE_MISSING_FILE: (w) => [`簽署的清單列出「${w}」，但資料包中沒有這個檔案。${REDOWNLOAD_ZH}`, `The signed manifest lists "${w}" but the package does not contain it. ${REDOWNLOAD_EN}`],
  PACKAGE_DIGEST_MISMATCH: (w) => [`檔案「${w}」的 SHA-256 雜湊值與簽署的清單不符，內容可能已被竄改或損毀。${REDOWNLOAD_ZH}`, `The SHA-256 digest of "${w}" does not match the signed manifest; its content may have been altered or damaged. ${REDOWNLOAD_EN}`],
  PACKAGE_SIGNATURE_MISSING: (w) => [`資料提供者檔案缺少簽章檔「${w}」，無法確認資料來源。${REDOWNLOAD_ZH}`, `The provider part lacks its signature file "${w}", so the data's origin cannot be confirmed. ${REDOWNLOAD_EN}`],
  PACKAGE_SIGNATURE_INVALID: () => [`資料提供者對清單的數位簽章驗證失敗：清單可能已被竄改，或簽章不是由附帶的憑證產生。${REDOWNLOAD_ZH}`, `The data provider's signature over the manifest did not verify: the manifest may have been altered, or the signature was not made with the enclosed certificate. ${REDOWNLOAD_EN}`],
  PACKAGE_CERTIFICATE_MISSING: (w) => [`資料提供者檔案缺少憑證「${w}」，無法確認簽章者身分。${REDOWNLOAD_ZH}`, `The provider part lacks its certificate "${w}", so the signer cannot be identified. ${REDOWNLOAD_EN}`],
  PACKAGE_CERTIFICATE_INVALID: (w) => [`資料提供者的憑證無效（${w}）。${REDOWNLOAD_ZH}`, `The data provider's certificate is not valid (${w}). ${REDOWNLOAD_EN}`],
  PACKAGE_CERTIFICATE_EXPIRED: (w) => [`資料提供者的憑證在驗證時間不在有效期間內（${w}）。請確認電腦的日期與時間正確；若正確，${REDOWNLOAD_ZH}`, `The data provider's certificate is not within its validity period at the time of verification (${w}). Check that your computer's date and time are right; if they are, ${REDOWNLOAD_EN.charAt(0).toLowerCase()}${REDOWNLOAD_EN.slice(1)}`],
  PACKAGE_CERTIFICATE_UNTRUSTED: (w) => [`簽章與每個檔案的雜湊值都正確，但簽發資料提供者憑證的機構（${w}）不在本程式已知的信任清單上。資料本身未被竄改；若您信任這個來源，可照常保存。`, `The signature and every file's digest are valid, but the issuer of the data provider's certificate (${w}) is not one this app knows. The data itself was not altered; if you trust its source you can keep it as usual.`],
  PACKAGE_CERTIFICATE_IS_CA: (w) => [`資料提供者檔案是用憑證機構（CA）的憑證「${w}」簽署的；CA 憑證只能簽發憑證，不能簽署資料，因此拒絕這個部分。${REDOWNLOAD_ZH}`, `The provider part was signed with a certificate authority's certificate ("${w}"); a CA certificate may issue certificates but not sign data, so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_CERTIFICATE_IS_ANCHOR: (w) => [`資料提供者檔案是直接用信任根憑證「${w}」簽署的，這不是資料提供者的簽章憑證，因此拒絕這個部分。${REDOWNLOAD_ZH}`, `The provider part was signed with the trust anchor itself ("${w}"), which is not a data provider's signing certificate, so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_CERTIFICATE_WEAK_KEY: (w) => [`簽章憑證的金鑰強度不足（${w}），簽章可能被偽造，因此拒絕這個部分。${REDOWNLOAD_ZH}`, `The signing certificate's key is too weak (${w}); such a signature could be forged, so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_CERTIFICATE_WEAK_ALGORITHM: (w) => [`憑證使用已不安全的簽章演算法（${w}，例如 SHA-1 或 MD5），可能被偽造，因此拒絕這個部分。${REDOWNLOAD_ZH}`, `A certificate is signed with an algorithm that is no longer safe (${w}, such as SHA-1 or MD5) and could be forged, so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_CERTIFICATE_KEY_USAGE: (w) => [`簽章憑證「${w}」的用途不包含數位簽章，不能用來簽署資料，因此拒絕這個部分。${REDOWNLOAD_ZH}`, `The signing certificate "${w}" is not allowed to make digital signatures (its key usage), so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_CHAIN_NOT_CA: (w) => [`憑證鏈中的簽發者不是合格的憑證機構（${w}），因此拒絕這個部分。${REDOWNLOAD_ZH}`, `An issuer on the certificate path is not a valid certificate authority (${w}), so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_CHAIN_PATH_LENGTH: (w) => [`憑證鏈超過簽發機構允許的層數（${w}），因此拒絕這個部分。${REDOWNLOAD_ZH}`, `The certificate path is longer than an issuing authority allows (${w}), so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_CHAIN_EXPIRED: (w) => [`憑證鏈中的簽發機構憑證在驗證時間不在有效期間內（${w}）。請確認電腦的日期與時間正確；若正確，${REDOWNLOAD_ZH}`, `An issuing authority's certificate on the path is not within its validity period at the time of verification (${w}). Check that your computer's date and time are right; if they are, ${REDOWNLOAD_EN.charAt(0).toLowerCase()}${REDOWNLOAD_EN.slice(1)}`],
  PACKAGE_SIGNER_NOT_BOUND: (w) => [`這份資料集不是由負責提供它的機關簽署的（簽署者：${w}）。即使憑證來自受信任的機構，也可能是偽造的資料，因此拒絕這個部分。${REDOWNLOAD_ZH}`, `This dataset was not signed by the provider that holds it (signed by: ${w}). Even though the certificate comes from a trusted authority, the data may be forged, so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_SIGNER_UNKNOWN: (w) => [`未驗證：本程式不知道這份資料集（${w}）的資料提供者使用哪一張簽章憑證，因此無法確認是由該機關簽署。簽章與雜湊值本身正確；您可以選擇仍然保存，它會一直標示為「未驗證」。`, `Not verified: this app does not know which signing certificate the provider of this dataset (${w}) uses, so it cannot confirm that provider signed it. The signature and digests themselves are valid; you may still keep it, and it will always be labelled "not verified".`],
  PACKAGE_PART_MISMATCH: (w) => [`資料包外層清單與資料提供者簽署的內容不一致（${w}），外層清單可能被竄改，因此拒絕這個部分。${REDOWNLOAD_ZH}`, `The package's outer manifest does not match what the data provider signed (${w}); the outer manifest may have been altered, so this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_SUBJECT_MISMATCH: (w) => [`這是另一個人的資料（資料中的身分證統一編號 ${w} 與您驗證的身分不符），因此不予匯入。如果是誤選檔案，請改選您自己的資料包。`, `This is another person's data (the ID in it, ${w}, does not match the identity you verified), so it was not imported. If you picked the wrong file, choose your own package instead.`],
  PACKAGE_TRANSACTION_MISMATCH: (w) => [`這份資料屬於另一筆申請（交易序號 ${w}），不能歸到這一筆申請下，因此未保存。請確認選擇的是這次申請的資料包。`, `This data belongs to another request (transaction ${w}) and cannot be filed under this one, so it was not kept. Check that you picked the package of this request.`],
  PACKAGE_META_DUPLICATE: (w) => [`資料提供者檔案中有兩份「${w}」（例如一份用 / 一份用 \\ 命名），無法確定哪一份才是真的，因此拒絕這個部分。${REDOWNLOAD_ZH}`, `The provider part holds two copies of "${w}" (for example one named with / and one with \\), so which one is genuine cannot be told; this part was refused. ${REDOWNLOAD_EN}`],
  PACKAGE_VERIFICATION_FAILED: (w) => [`資料包未通過驗證（${w}）。詳情見各資料提供者的結果；${REDOWNLOAD_ZH}`, `The package did not pass verification (${w}). See each data provider's result for details; ${REDOWNLOAD_EN.charAt(0).toLowerCase()}${REDOWNLOAD_EN.slice(1)}`],
  PACKAGE_WRONG_ID: (w) => [`輸入的身分證統一編號打不開「${w}」。請確認輸入的是下載這份資料的當事人的身分證統一編號（英文字母大寫，共 10 碼）後再試一次；沒有保存任何內容。`, `The national ID you entered does not open "${w}". Check that it is the ID of the person who downloaded this data (10 characters, capital letter first) and try again; nothing was kept.`, true],
  PACKAGE_UNKNOWN_FORMAT: (w) => [`無法辨識這個檔案（${w}）：它不是 MyData 的資料包，也不是 MyData 網站下載的 PDF、CSV 或 JSON 檔。沒有保存任何內容。請選擇從 MyData 下載的原始檔案。`, `This file is not recognised (${w}): it is neither a MyData package nor a PDF, CSV or JSON download from the MyData website. Nothing was kept. Pick the original file downloaded from MyData.`],
  PACKAGE_SIGNED_LAYOUT: () => ['這個壓縮檔含有資料提供者的簽章（META-INFO），應以簽章資料包的方式驗證。請改用匯入資料包。', 'This archive carries data providers\' signatures (META-INFO), so it must be verified as a signed package. Import it as a package instead.'],
  PACKAGE_PDF_INVALID: (w) => [`「${w}」不是可讀取的 PDF 檔（檔頭或加密設定無法讀取），因此沒有匯入。${REDOWNLOAD_ZH}`, `"${w}" is not a readable PDF (its header or encryption settings cannot be read), so nothing was imported. ${REDOWNLOAD_EN}`],
  PACKAGE_PDF_ENCRYPTION_UNSUPPORTED: (w) => [`「${w}」使用了本程式無法以密碼開啟的 PDF 加密方式，無法確認它能用您的身分證統一編號開啟，因此沒有匯入。請確認檔案是從 MyData 下載的原始檔案。`, `"${w}" uses a PDF encryption this app cannot open with a password, so it cannot be checked against your national ID and nothing was imported. Make sure it is the original file downloaded from MyData.`],
  PACKAGE_FILE_TOO_LARGE: (w) => [`檔案「${w}」大於可在記憶體中檢查的上限，因此沒有匯入。${REDOWNLOAD_ZH}`, `The file "${w}" is larger than the limit for checking it in memory, so nothing was imported. ${REDOWNLOAD_EN}`],
};

/** The AppError value for a code; `what` fills the entry name or detail the message names. */
export function packageError(code: PackageErrorCode, what = ''): AppError {
  const [zh, en, retryable = false] = texts[code](what);
  return { code, message_zh: zh, message_en: en, retryable };
}

export function packageFailure(code: PackageErrorCode, what = '', cause?: unknown): AppFailure {
  return new AppFailure(packageError(code, what), cause === undefined ? undefined : { cause });
}

export function isPackageFailure(error: unknown, code?: PackageErrorCode): error is AppFailure {
  return error instanceof AppFailure && error.code.startsWith('PACKAGE_') && (code === undefined || error.code === code);
}

/** Names shown in messages are clipped and stripped of control characters so a hostile name cannot flood or spoof the UI. */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '�');
  return clean.length > 120 ? `${clean.slice(0, 117)}…` : clean;
}
