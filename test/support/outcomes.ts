// What a promise came to, as a test compares it: 'OK', or the failure's code (AppFailure, errno), or UNCODED with the text.
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return (error as { code?: string }).code ?? `UNCODED: ${String(error)}`;
  }
}
