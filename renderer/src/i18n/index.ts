// Public surface of the i18n module.
export { I18nProvider, useI18n } from './context.tsx';
export {  hasMessage, isCatalogueLoaded, loadCatalogue, otherLanguage,  pickField, translate,  type MessageKey } from './catalogues.ts';
