// pdf-lib's font engine slot filled by fontkit 2: core's own fontkit module in the shared adapter (common/pdf-fontkit.ts).
import * as fontkit from 'fontkit';
import { pdfLibFontkit } from '../../common/pdf-fontkit.ts';

export const fontkitAdapter = pdfLibFontkit(fontkit);
